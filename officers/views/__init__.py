"""Views of officers: the staff home, profiles and the directory, and the abstractions log."""
