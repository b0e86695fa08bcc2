"""Text as people type it: one kind of line break, so a length counts what was typed."""

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator


def line_breaks_normalised(value: str) -> str:
    """Windows ("\\r\\n") and old Mac ("\\r") line breaks as "\\n"."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def plain_text(value: str | None) -> str:
    """Text as typed, with one kind of line break and no space around it."""
    return line_breaks_normalised(value or "").strip()


def null_characters_refused(**texts: str) -> None:
    """PostgreSQL cannot store a NUL character, so a service refuses text holding one, keyed by
    the field it came in, with the message a form gives for it (forms refuse it first)."""
    validator = ProhibitNullCharactersValidator()
    errors = {}
    for field, text in texts.items():
        try:
            validator(text)
        except ValidationError as exc:
            errors[field] = exc
    if errors:
        raise ValidationError(errors)
