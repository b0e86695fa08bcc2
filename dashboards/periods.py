"""Over which days a dashboard counts: the period, London calendar days."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from config.dates import london_midnight

PRESETS = ("7", "28", "90", "365", "1095")
DEFAULT_PRESET = "28"
CUSTOM = "custom"

# The longest custom period: three years of days (one of them may be a 29 February).
MAX_CUSTOM_DAYS = 3 * 365 + 1


@dataclass(frozen=True)
class Period:
    """London calendar days: [start, end) as the instants of London midnight (in UTC), and
    the same days inclusive for display."""

    start: datetime.datetime
    end: datetime.datetime
    first_day: datetime.date
    last_day: datetime.date
    preset: str

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def london_days(first_day: datetime.date, last_day: datetime.date, preset: str) -> Period:
    """The London calendar days from `first_day` to `last_day`, both included."""
    # In UTC: the same instants, and subtracting them gives elapsed time, not wall-clock time.
    return Period(
        start=london_midnight(first_day).astimezone(datetime.UTC),
        end=london_midnight(last_day + datetime.timedelta(days=1)).astimezone(datetime.UTC),
        first_day=first_day,
        last_day=last_day,
        preset=preset,
    )


def days_period(first_day: datetime.date, last_day: datetime.date) -> Period:
    """The London calendar days from `first_day` to `last_day`, inclusive."""
    return london_days(first_day, last_day, CUSTOM)


def period_for(
    *,
    preset: str | None,
    first_day: datetime.date | None,
    last_day: datetime.date | None,
    today: datetime.date,
) -> Period:
    """The period asked for: a preset number of days ending today (today included), 28 by
    default, or custom dates (both given, inclusive). Dates given without a preset are a
    custom period. Raises ValueError, with a message for the page, for anything else."""
    if not preset:
        preset = CUSTOM if (first_day or last_day) else DEFAULT_PRESET
    if preset in PRESETS:
        return london_days(today - datetime.timedelta(days=int(preset) - 1), today, preset)
    if preset != CUSTOM:
        raise ValueError(_("Choose a period: 7, 28, 90, 365 or 1,095 days, or your own dates."))
    if first_day is None or last_day is None:
        raise ValueError(_("Enter both the first and the last day of the period."))
    if last_day > today:
        raise ValueError(_("The last day of the period must be today or in the past."))
    if last_day < first_day:
        raise ValueError(
            _("The last day of the period must be the same as or after the first day.")
        )
    if (last_day - first_day).days + 1 > MAX_CUSTOM_DAYS:
        raise ValueError(_("The period can be at most 3 years long."))
    return london_days(first_day, last_day, CUSTOM)
