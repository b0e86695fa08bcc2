"""Views of queries: the public contact and tracking pages, and the staff inbox."""
