"""Financial quarters, as the Police and Crime Panel reads them: April to June (quarter 1),
July to September, October to December and January to March (quarter 4) of a financial year
that starts on 1 April. Every boundary is London midnight, so a query sent at 23:30 on
31 March (BST) is in quarter 4 and one sent at 00:30 on 1 July (BST, 23:30 UTC on 30 June)
is in quarter 2.

A quarter's address is `2026-27-q2`: the financial year and the quarter's number."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from config.dates import LONDON, month_name_text, month_text
from dashboards.periods import Period, london_days

SLUG = re.compile(r"(?P<year>[0-9]{4})-(?P<next>[0-9]{2})-q(?P<number>[1-4])")
# The earliest financial year a report may be drafted for.
FIRST_YEAR = 2000


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the financial year's first calendar year: 2026 for 2026-27
    number: int  # 1 (April to June) to 4 (January to March)

    @property
    def first_day(self) -> datetime.date:
        month = 3 * self.number + 1  # 4, 7, 10, 13
        return datetime.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    @property
    def period(self) -> Period:
        return london_days(self.first_day, self.last_day, preset="quarter")

    @property
    def financial_year(self) -> str:
        """'2026-27'."""
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.financial_year}-q{self.number}"

    @property
    def label(self) -> str:
        """'Quarter 2 2026-27 (July to September 2026)'."""
        return _("Quarter %(number)s %(year)s (%(first)s to %(last)s)") % {
            "number": self.number,
            "year": self.financial_year,
            "first": month_name_text(self.first_day),
            "last": month_text(self.last_day),
        }

    @property
    def short_label(self) -> str:
        """'Q2 2026-27'."""
        return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.financial_year}

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def is_finished(self, today: datetime.date) -> bool:
        """Its last day is over: a report is drafted only for a finished quarter."""
        return self.last_day < today


def quarter_of_day(day: datetime.date) -> Quarter:
    year = day.year if day.month >= 4 else day.year - 1
    return Quarter(year, (day.month - 4) % 12 // 3 + 1)


def quarter_of(moment: datetime.datetime) -> Quarter:
    """The quarter an instant falls in, by its London calendar day."""
    return quarter_of_day(moment.astimezone(LONDON).date())


def last_finished(today: datetime.date, count: int) -> list[Quarter]:
    """The `count` quarters before today's, the latest first."""
    quarters = [quarter_of_day(today).previous()]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


def parse_quarter(slug: str) -> Quarter:
    """The quarter of an address such as `2026-27-q2`; ValueError for anything else."""
    match = SLUG.fullmatch(slug)
    if not match:
        raise ValueError("Choose a quarter.")
    year = int(match["year"])
    if (year + 1) % 100 != int(match["next"]) or year < FIRST_YEAR:
        raise ValueError("Choose a quarter.")
    return Quarter(year, int(match["number"]))
