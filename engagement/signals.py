"""What the engagement app tells the apps above it, without knowing them."""

from django.dispatch import Signal

# A priority was added or saved, in its transaction (after the save, so its history holds the
# new version). Arguments: priority. The alerts app tells the neighbourhood's subscribers.
priority_saved = Signal()
