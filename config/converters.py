"""URL parts shared by the apps: anything else is a 404 before a view or the database sees it."""


class TokenConverter:
    """A secret link's token (tracking a query, cancelling a registration): URL-safe base64,
    as secrets.token_urlsafe makes it."""

    regex = "[A-Za-z0-9_-]{16,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
