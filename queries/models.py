"""Public queries and their 72-hour clock: built by the queries issue."""
