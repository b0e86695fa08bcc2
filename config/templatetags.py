"""Template filters every template has (TEMPLATES "builtins")."""

import datetime

from django import template

from config import dates

register = template.Library()


@register.filter
def govuk_time(value: datetime.datetime | None) -> str:
    """{{ event.starts_at|govuk_time }} -> '7pm', '10:30am', 'midday'."""
    return dates.time_text(value) if value else ""


@register.filter
def govuk_date_time(value: datetime.datetime | None) -> str:
    """{{ event.starts_at|govuk_date_time }} -> 'Tuesday 3 November 2026 at 7pm'."""
    return dates.date_time_text(value) if value else ""
