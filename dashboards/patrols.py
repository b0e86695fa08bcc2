"""The patrols panel's filters and how it says its figures, on the page and as CSV: hours,
patrols and outcomes by hotspot and month, against each hotspot's plan."""

import datetime
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.display import share_percent, share_text
from officers.scopes import Scope
from patrols.forms import MonthForm
from patrols.models import OUTCOME_LABELS, PUBLIC_ORDER
from patrols.selectors import HotspotMonth, hotspot_months, month_figures, months_ending
from patrols.summary import hours_text


class PatrolsPanelForm(MonthForm):
    """?month=YYYY-MM and ?scope=: this month and the user's default scope when missing."""

    scope = forms.ChoiceField(
        label=gettext_lazy("Show figures for"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Choose what to show figures for from the list")
        },
    )

    def __init__(self, data, *, scopes: list[Scope], today: datetime.date) -> None:
        earliest = datetime.date(today.year - 3, today.month, 1)
        super().__init__(data, today=today, earliest=earliest)
        self.fields["scope"].choices = [(scope.key, scope.title) for scope in scopes]
        self.scopes = {scope.key: scope for scope in scopes}
        self.default_scope = scopes[0]

    def clean_scope(self) -> Scope:
        return self.scopes.get(self.cleaned_data["scope"] or "", self.default_scope)


def percent_of_plan(row: HotspotMonth) -> str:
    share = row.share_of_plan
    return _("no plan this month") if share is None else share_text(share)


def panel_rows(scope: Scope, month: datetime.date) -> list[HotspotMonth]:
    return hotspot_months(neighbourhood_ids=scope.neighbourhood_ids, months=[month])


def outcome_labels() -> list[str]:
    return [str(OUTCOME_LABELS[name]) for name in PUBLIC_ORDER]


def panel_csv_rows(scope: Scope, month: datetime.date) -> Iterable[list]:
    """Each hotspot and month of the 12 months up to `month`."""
    yield [
        _("Month"),
        _("Hotspot"),
        _("Neighbourhood"),
        _("Division"),
        _("Officer hours"),
        _("Planned officer hours"),
        _("Share of plan (%)"),
        _("Patrols"),
        *outcome_labels(),
    ]
    rows = hotspot_months(neighbourhood_ids=scope.neighbourhood_ids, months=months_ending(month))
    for row in rows:
        percent = share_percent(row.share_of_plan)
        division = row.hotspot.neighbourhood.division
        yield [
            f"{row.month:%Y-%m}",
            row.hotspot.name,
            row.hotspot.neighbourhood.name,
            division.name if division else "",
            round(row.hours, 1),
            round(row.planned_hours, 1),
            "" if percent is None else percent,
            row.patrols,
            *(row.outcomes[name] for name in PUBLIC_ORDER),
        ]


def row_cells(row: HotspotMonth) -> dict:
    return {
        "row": row,
        "hours": hours_text(row.hours),
        "planned": hours_text(row.planned_hours),
        "of_plan": percent_of_plan(row),
        "outcomes": [(OUTCOME_LABELS[name], row.outcomes[name]) for name in PUBLIC_ORDER],
    }


def month_rows(scope: Scope, month: datetime.date) -> list[tuple]:
    """The scope's 12 months up to `month`: (figures, officer hours as text), oldest first."""
    figures = month_figures(neighbourhood_ids=scope.neighbourhood_ids, months=months_ending(month))
    return [(month_figures_, hours_text(month_figures_.hours)) for month_figures_ in figures]
