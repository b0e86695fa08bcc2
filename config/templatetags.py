"""Template filters every template has (TEMPLATES "builtins")."""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from config import dates
from config.bilingual import falls_back, in_language
from config.bilingual import marked as bilingual_text_marked

register = template.Library()


@register.filter
def govuk_time(value: datetime.datetime | None) -> str:
    """{{ event.starts_at|govuk_time }} -> '7pm', '10:30am', 'midday'."""
    return dates.time_text(value) if value else ""


@register.filter
def govuk_date_time(value: datetime.datetime | None) -> str:
    """{{ event.starts_at|govuk_date_time }} -> 'Tuesday 3 November 2026 at 7pm'."""
    return dates.date_time_text(value) if value else ""


@register.filter
def govuk_date(value: datetime.date | None) -> str:
    """{{ plan.starts_on|govuk_date }} -> '3 November 2026' ('3 Tachwedd 2026' in Welsh); a
    datetime is read in Europe/London time."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(dates.LONDON).date()
    return dates.date_text(value)


@register.filter
def govuk_short_date(value: datetime.date | None) -> str:
    """{{ week|govuk_short_date }} -> '3 Nov 2026' ('3 Tach 2026' in Welsh), for tables."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(dates.LONDON).date()
    return dates.short_date_text(value)


@register.filter
def govuk_day(value: datetime.date | None) -> str:
    """{{ survey.closes_on|govuk_day }} -> 'Tuesday 3 November 2026' ('dydd Mawrth 3 Tachwedd
    2026' in Welsh, never Django's capitalised 'Dydd Mawrth')."""
    return dates.day_text(value) if value else ""


@register.filter
def govuk_month(value: datetime.date | None) -> str:
    """{{ month|govuk_month }} -> 'July 2026' ('Gorffennaf 2026' in Welsh)."""
    return dates.month_text(value) if value else ""


@register.filter
def bilingual(obj, field: str):
    """{{ event|bilingual:"title" }}: the title in the page's language; on a Welsh page with no
    Welsh written, the English marked lang="en" (config.bilingual)."""
    return bilingual_text_marked(obj, field) if obj else ""


@register.filter
def bilingual_text(obj, field: str) -> str:
    """{{ event|bilingual_text:"title" }}: the same text without markup, for an attribute or a
    <title>."""
    return in_language(obj, field) if obj else ""


@register.filter
def bilingual_lang(obj, field: str) -> SafeString:
    """<div{{ event|bilingual_lang:"description" }}>: ` lang="en"` where a Welsh page shows the
    English of `field`, for the element around text in paragraphs, which a span cannot wrap."""
    return mark_safe(' lang="en"') if obj and falls_back(obj, field) else mark_safe("")


@register.filter
def bilingual_lines(obj, field: str) -> list[str | SafeString]:
    """{% for issue in outcome|bilingual_lines:"issues_raised" %}: the lines of `field` (one
    item a line) in the page's language, each marked lang="en" where it falls back."""
    if not obj:
        return []
    text = in_language(obj, field)
    english = falls_back(obj, field)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return [format_html('<span lang="en">{}</span>', line) if english else line for line in lines]
