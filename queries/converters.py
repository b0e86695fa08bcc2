"""URL parts of queries: anything else is a 404 before a view or the database sees it."""


class ReferenceConverter:
    regex = "[A-Z0-9-]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
