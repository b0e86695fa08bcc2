"""How the public scorecard says its figures: in plain words, GOV.UK style."""

import datetime

from django.conf import settings

from config.dates import LONDON, date_time_text, london_time_display
from dashboards.selectors.scorecard import Figures


def ago_text(value: datetime.datetime | datetime.date | None, today: datetime.date) -> str:
    """'today', 'yesterday', '12 days ago', '3 weeks ago', '5 months ago'; '' for None."""
    if value is None:
        return ""
    day = value.astimezone(LONDON).date() if isinstance(value, datetime.datetime) else value
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 61:
        return f"{days // 7} weeks ago"
    months = days * 12 // 365
    return f"{months} month{'s' if months != 1 else ''} ago"


def hours_text(hours: int | None) -> str:
    if hours is None:
        return ""
    if hours < 1:
        return "less than an hour"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def suppressed_text() -> str:
    return f"fewer than {settings.PUBLIC_SUPPRESSION_THRESHOLD} queries"


def answered_text(figures: Figures) -> str:
    """'answered 47 of 50 queries within 72 hours (94%)', or 'fewer than 5 queries'."""
    if figures.suppressed:
        return suppressed_text()
    return (
        f"answered {figures.met} of {figures.queries} "
        f"quer{'ies' if figures.queries != 1 else 'y'} within "
        f"{settings.RESPONSE_TARGET_HOURS} hours ({figures.share_percent}%)"
    )


def next_meeting_text(value: datetime.datetime | None) -> str:
    return date_time_text(value, year=False) if value else ""


def as_of_text(value: datetime.datetime, now: datetime.datetime) -> str:
    return london_time_display(value, now)
