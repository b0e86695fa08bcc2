"""How the public scorecard says its figures: in plain words, GOV.UK style."""

import datetime

from django.conf import settings
from django.utils.translation import gettext, ngettext

from config.dates import LONDON, date_time_text, london_time_display
from dashboards.selectors.scorecard import Figures


def ago_text(value: datetime.datetime | datetime.date | None, today: datetime.date) -> str:
    """'today', 'yesterday', '12 days ago', '3 weeks ago', '5 months ago'; '' for None."""
    if value is None:
        return ""
    day = value.astimezone(LONDON).date() if isinstance(value, datetime.datetime) else value
    days = (today - day).days
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    if days < 14:
        return ngettext("%(count)s day ago", "%(count)s days ago", days) % {"count": days}
    if days < 61:
        weeks = days // 7
        return ngettext("%(count)s week ago", "%(count)s weeks ago", weeks) % {"count": weeks}
    months = days * 12 // 365
    return ngettext("%(count)s month ago", "%(count)s months ago", months) % {"count": months}


def hours_text(hours: int | None) -> str:
    if hours is None:
        return ""
    if hours < 1:
        return gettext("less than an hour")
    return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}


def suppressed_text() -> str:
    return gettext("fewer than %(count)s queries") % {
        "count": settings.PUBLIC_SUPPRESSION_THRESHOLD
    }


def answered_text(figures: Figures) -> str:
    """'answered 47 of 50 queries within 72 hours (94%)', or 'fewer than 5 queries'."""
    if figures.suppressed:
        return suppressed_text()
    return ngettext(
        "answered %(met)s of %(queries)s query within %(hours)s hours (%(share)s%%)",
        "answered %(met)s of %(queries)s queries within %(hours)s hours (%(share)s%%)",
        figures.queries,
    ) % {
        "met": figures.met,
        "queries": figures.queries,
        "hours": settings.RESPONSE_TARGET_HOURS,
        "share": figures.share_percent,
    }


def next_meeting_text(value: datetime.datetime | None) -> str:
    return date_time_text(value, year=False) if value else ""


def as_of_text(value: datetime.datetime, now: datetime.datetime) -> str:
    return london_time_display(value, now)
