"""Reads of queries, split by who reads: residents tracking theirs, staff in the inbox."""
