"""How the engagement panel says its figures, on the page and as CSV."""

from collections.abc import Iterable
from dataclasses import dataclass

from dashboards.display import share_percent, share_text
from dashboards.forms import Filters
from dashboards.selectors.engagement import EngagementRow, engagement_table

NOT_KNOWN = "not known"
# (sort key, header, numeric) in the table's order.
SORT_COLUMNS = [
    ("name", "Neighbourhood", False),
    ("population", "Population", True),
    ("queries", "Queries", True),
    ("per_thousand", "Queries per 1,000 residents", True),
    ("rated", "Answers rated", True),
    ("satisfied", "Satisfied", True),
    ("attendance", "Meeting attendance", True),
    ("subscribers", "Alert subscribers", True),
    ("survey_answers", "Survey answers", True),
]


def per_thousand_text(value: float | None) -> str:
    return NOT_KNOWN if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class EngagementShown:
    row: EngagementRow

    @property
    def population(self) -> str:
        population = self.row.population
        return NOT_KNOWN if population is None else f"{population:,}"

    @property
    def per_thousand(self) -> str:
        return per_thousand_text(self.row.per_thousand)

    @property
    def satisfied(self) -> str:
        return share_text(self.row.satisfied)

    @property
    def attendance(self) -> str:
        meetings = self.row.meetings
        if not meetings:
            return "No meetings recorded"
        return f"{self.row.attendance:,} at {meetings} meeting{'s' if meetings != 1 else ''}"


def engagement_rows(filters: Filters, sort: str) -> list[EngagementShown]:
    rows = engagement_table(scope=filters.scope, period=filters.period, sort=sort)
    return [EngagementShown(row) for row in rows]


def engagement_csv_rows(filters: Filters, sort: str) -> Iterable[list]:
    yield [
        "Neighbourhood",
        "Division",
        "Population",
        "Queries",
        "Queries per 1,000 residents",
        "Answers rated",
        "Rated yes",
        "Satisfied (%)",
        "Meetings with attendance recorded",
        "Meeting attendance",
        "Alert subscribers",
        "Survey answers",
    ]
    for row in engagement_table(scope=filters.scope, period=filters.period, sort=sort):
        percent = share_percent(row.satisfied)
        yield [
            row.name,
            row.division_name,
            "" if row.population is None else row.population,
            row.queries_sent,
            "" if row.per_thousand is None else f"{row.per_thousand:.1f}",
            row.rated,
            row.yes,
            "" if percent is None else percent,
            row.meetings,
            row.attendance,
            row.alert_subscribers,
            row.survey_answers,
        ]
