"""How the engagement panel says its figures, on the page and as CSV."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dashboards.display import share_percent, share_text
from dashboards.forms import Filters
from dashboards.selectors.engagement import EngagementRow, engagement_table

NOT_KNOWN = gettext_lazy("not known")
# (sort key, header, numeric) in the table's order.
SORT_COLUMNS = [
    ("name", gettext_lazy("Neighbourhood"), False),
    ("population", gettext_lazy("Population"), True),
    ("queries", gettext_lazy("Queries"), True),
    ("per_thousand", gettext_lazy("Queries per 1,000 residents"), True),
    ("rated", gettext_lazy("Answers rated"), True),
    ("satisfied", gettext_lazy("Satisfied"), True),
    ("attendance", gettext_lazy("Meeting attendance"), True),
    ("subscribers", gettext_lazy("Alert subscribers"), True),
    ("survey_answers", gettext_lazy("Survey answers"), True),
]


def per_thousand_text(value: float | None) -> str:
    return str(NOT_KNOWN) if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class EngagementShown:
    row: EngagementRow

    @property
    def population(self) -> str:
        population = self.row.population
        return str(NOT_KNOWN) if population is None else f"{population:,}"

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
            return _("No meetings recorded")
        return ngettext(
            "%(attendance)s at %(count)s meeting", "%(attendance)s at %(count)s meetings", meetings
        ) % {"attendance": f"{self.row.attendance:,}", "count": meetings}


def engagement_rows(filters: Filters, sort: str) -> list[EngagementShown]:
    rows = engagement_table(scope=filters.scope, period=filters.period, sort=sort)
    return [EngagementShown(row) for row in rows]


def engagement_csv_rows(filters: Filters, sort: str) -> Iterable[list]:
    yield [
        _("Neighbourhood"),
        _("Division"),
        _("Population"),
        _("Queries"),
        _("Queries per 1,000 residents"),
        _("Answers rated"),
        _("Rated yes"),
        _("Satisfied (%)"),
        _("Meetings with attendance recorded"),
        _("Meeting attendance"),
        _("Alert subscribers"),
        _("Survey answers"),
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
