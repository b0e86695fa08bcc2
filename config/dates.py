"""Dates and times as residents read them: GOV.UK style, in Europe/London time."""

import datetime
import zoneinfo

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london_midnight(day: datetime.date) -> datetime.datetime:
    """The start of a London calendar day (midnight exists on every day: the clocks change
    at 1am and 2am)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


def time_text(value: datetime.datetime) -> str:
    """'2pm', '2:15pm', 'midday' or 'midnight' in Europe/London time (GOV.UK style)."""
    local = value.astimezone(LONDON)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{local.hour % 12 or 12}{minutes}{'am' if local.hour < 12 else 'pm'}"


def date_time_text(value: datetime.datetime, *, year: bool = True) -> str:
    """'Tuesday 3 November 2026 at 2:15pm' in Europe/London time; without the year for dates
    a resident reads as this week's."""
    local = value.astimezone(LONDON)
    day = f"{local:%A} {local.day} {local:%B}" + (f" {local.year}" if year else "")
    return f"{day} at {time_text(local)}"


def london_time_display(value: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """'3:45pm' in Europe/London time, with the day when it is not `now`'s."""
    local = value.astimezone(LONDON)
    text = time_text(local)
    if now is not None and now.astimezone(LONDON).date() != local.date():
        text = f"{text} on {local:%A} {local.day} {local:%B}"
    return text


def london_due_display(value: datetime.datetime) -> str:
    """'Friday 13 June at 3:45pm', in Europe/London time."""
    return date_time_text(value, year=False)
