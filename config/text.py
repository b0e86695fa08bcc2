"""Text as people type it: one kind of line break, so a length counts what was typed."""


def line_breaks_normalised(value: str) -> str:
    """Windows ("\\r\\n") and old Mac ("\\r") line breaks as "\\n"."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def plain_text(value: str | None) -> str:
    """Text as typed, with one kind of line break and no space around it."""
    return line_breaks_normalised(value or "").strip()
