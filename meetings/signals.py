"""What the meetings app tells the apps above it, without knowing them. Each is sent inside
the transaction of the change, after the save, with the row as saved.

The alerts app tells the neighbourhood's subscribers."""

from django.dispatch import Signal

# A one-off event was listed. Arguments: event.
event_created = Signal()
# An event was saved: `fields` are those that changed (MOVE_FIELDS for a move, "status" for a
# cancellation). Arguments: event, fields.
event_changed = Signal()
# A series was created (its first occurrences exist). Arguments: series.
series_created = Signal()
# A series was saved: `fields` are those that changed ("ended_at" when it ended). Arguments:
# series, fields.
series_changed = Signal()
