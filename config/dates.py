"""Dates and times as residents read them: GOV.UK style, in Europe/London time, in the active
language (English, or Welsh: "dydd Llun 1 Mehefin 2026 am 7pm")."""

import datetime
import zoneinfo

from django.utils import translation

LONDON = zoneinfo.ZoneInfo("Europe/London")

WELSH_DAYS = (
    "dydd Llun",
    "dydd Mawrth",
    "dydd Mercher",
    "dydd Iau",
    "dydd Gwener",
    "dydd Sadwrn",
    "dydd Sul",
)
WELSH_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)

WELSH_SHORT_MONTHS = (
    "Ion",
    "Chwef",
    "Maw",
    "Ebr",
    "Mai",
    "Meh",
    "Gorff",
    "Awst",
    "Medi",
    "Hyd",
    "Tach",
    "Rhag",
)


def _welsh() -> bool:
    return (translation.get_language() or "").startswith("cy")


def _day_text(local: datetime.date, *, year: bool) -> str:
    """'Tuesday 3 November 2026', or 'dydd Mawrth 3 Tachwedd 2026'."""
    if _welsh():
        day = f"{WELSH_DAYS[local.weekday()]} {local.day} {WELSH_MONTHS[local.month - 1]}"
    else:
        day = f"{local:%A} {local.day} {local:%B}"
    return day + (f" {local.year}" if year else "")


def day_text(day: datetime.date) -> str:
    """'Tuesday 3 November 2026', or 'dydd Mawrth 3 Tachwedd 2026' (a datetime in Europe/London
    time)."""
    if isinstance(day, datetime.datetime):
        day = day.astimezone(LONDON)
    return _day_text(day, year=True)


def date_text(day: datetime.date) -> str:
    """'3 November 2026', or '3 Tachwedd 2026'."""
    month = WELSH_MONTHS[day.month - 1] if _welsh() else f"{day:%B}"
    return f"{day.day} {month} {day.year}"


def month_name_text(day: datetime.date) -> str:
    """'November', or 'Tachwedd': a month of a year already named."""
    return WELSH_MONTHS[day.month - 1] if _welsh() else f"{day:%B}"


def short_month_text(day: datetime.date) -> str:
    """'Nov', or 'Tach': a month's name shortened, for tables and chart labels."""
    return WELSH_SHORT_MONTHS[day.month - 1] if _welsh() else f"{day:%b}"


def short_date_text(day: datetime.date) -> str:
    """'3 Nov 2026', or '3 Tach 2026'."""
    return f"{day.day} {short_month_text(day)} {day.year}"


def day_month_text(day: datetime.date) -> str:
    """'3 November', or '3 Tachwedd': a day of a year already named."""
    return f"{day.day} {month_name_text(day)}"


def month_text(day: datetime.date) -> str:
    """'July 2026', or 'Gorffennaf 2026'."""
    month = WELSH_MONTHS[day.month - 1] if _welsh() else f"{day:%B}"
    return f"{month} {day.year}"


def london_midnight(day: datetime.date) -> datetime.datetime:
    """The start of a London calendar day (midnight exists on every day: the clocks change
    at 1am and 2am)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def time_text(value: datetime.datetime) -> str:
    """'2pm', '2:15pm', 'midday' or 'midnight' in Europe/London time (GOV.UK style)."""
    local = value.astimezone(LONDON)
    if local.hour == 12 and local.minute == 0:
        return "12 hanner dydd" if _welsh() else "midday"
    if local.hour == 0 and local.minute == 0:
        return "12 hanner nos" if _welsh() else "midnight"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{local.hour % 12 or 12}{minutes}{'am' if local.hour < 12 else 'pm'}"


def date_time_text(value: datetime.datetime, *, year: bool = True) -> str:
    """'Tuesday 3 November 2026 at 2:15pm' ('dydd Mawrth 3 Tachwedd 2026 am 2:15pm') in
    Europe/London time; without the year for dates a resident reads as this week's."""
    local = value.astimezone(LONDON)
    return f"{_day_text(local, year=year)} {'am' if _welsh() else 'at'} {time_text(local)}"


def london_time_display(value: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """'3:45pm' in Europe/London time, with the day when it is not `now`'s."""
    local = value.astimezone(LONDON)
    text = time_text(local)
    if now is not None and now.astimezone(LONDON).date() != local.date():
        day = _day_text(local, year=False)
        # Welsh says "on a day" by mutating it: ddydd Gwener.
        text = f"{text} d{day}" if _welsh() else f"{text} on {day}"
    return text


def london_due_display(value: datetime.datetime) -> str:
    """'Friday 13 June at 3:45pm', in Europe/London time."""
    return date_time_text(value, year=False)
