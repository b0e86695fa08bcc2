"""The dashboard's filters: a period (a preset or chosen dates) and a scope, read from the URL.

A scope the user may not see is not a form error: `scope_for` raises PermissionDenied and the
view answers 403. A key that is no scope at all is an error shown in the form."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.forms import GovukDateField, GovukFormMixin, GovukRadios, date_field
from dashboards.periods import CUSTOM, DEFAULT_PRESET, MAX_CUSTOM_DAYS, Period, period_for
from dashboards.selectors.abstractions import DEFAULT_REPORT_WEEKS, REPORT_WEEKS
from officers.scopes import Scope, scope_for

PERIODS = [
    ("7", _("Last 7 days")),
    ("28", _("Last 28 days")),
    ("90", _("Last 90 days")),
    ("365", _("Last 12 months")),
    ("1095", _("Last 3 years")),
    (CUSTOM, _("Choose dates")),
]
# A day in the past, as the dates of a period must be.
DATE_EXAMPLE = "1 9 2026"
# The select's groups, in order, and the kinds of scope key each holds.
SCOPE_GROUPS = (
    (_("Force"), ("force",)),
    (_("Divisions"), ("division",)),
    (_("Neighbourhoods"), ("mine", "neighbourhood")),
    (_("Officers"), ("officer",)),
)


# What a missing date of "Choose dates" says.
MISSING_DATE = {"from": _("Enter the from date"), "to": _("Enter the to date")}


def weeks_text(weeks: int) -> str:
    return ngettext("Last %(count)s week", "Last %(count)s weeks", weeks) % {"count": weeks}


# Read in the language of the page the form is shown on.
_weeks_label = lazy(weeks_text, str)


@dataclass(frozen=True)
class Filters:
    scope: Scope
    period: Period

    def params(self) -> dict[str, str]:
        """The URL parameters that name these filters, the same whatever was typed."""
        params = {"scope": self.scope.key, "period": self.period.preset}
        if self.period.preset == CUSTOM:
            params["from"] = self.period.first_day.isoformat()
            params["to"] = self.period.last_day.isoformat()
        return params


def _date_field(label: str, subject: str) -> GovukDateField:
    # Checked in clean(): the dates count only when "Choose dates" is the period. Links made
    # before the day, month and year boxes (`?from=2026-10-01`) still work.
    return date_field(label, subject=subject, example=DATE_EXAMPLE, single_name=True)


def scope_choices(scopes: list[Scope]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scopes grouped for a select: Force, Divisions, Neighbourhoods, Officers."""
    grouped = []
    for name, kinds in SCOPE_GROUPS:
        choices = [(s.key, s.title) for s in scopes if s.key.split(":", 1)[0] in kinds]
        if choices:
            grouped.append((name, choices))
    return grouped


class DashboardFilterForm(GovukFormMixin, forms.Form):
    """GET filters `scope`, `period` (7, 28, 90, 365, 1095 or custom), `from` and `to` (London
    days, both included). Missing ones take their defaults: the last 28 days, the user's
    default scope."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=PERIODS,
        widget=GovukRadios,
        error_messages={"invalid_choice": _("Choose a period from the list")},
    )
    scope = forms.CharField(label=_("Show figures for"), required=False, widget=forms.Select)

    @property
    def date_fields(self) -> list[forms.BoundField]:
        """The fields the "custom" period reveals."""
        return [self["from"], self["to"]]

    def __init__(
        self,
        data,
        *,
        user: AbstractBaseUser,
        today: datetime.date,
        scopes: list[Scope] | None = None,
    ) -> None:
        """`scopes`, what the user may choose (dashboard_scopes), fill the select; the
        drill-down and the CSV files, which have no select, leave them out."""
        data = data.copy()
        if not data.get("period"):
            has_dates = any(
                data.get(f"{name}{part}")
                for name in ("from", "to")
                for part in ("", "_day", "_month", "_year")
            )
            data["period"] = CUSTOM if has_dates else DEFAULT_PRESET
        if scopes and not data.get("scope"):
            # The default comes first: the select shows the scope the figures are for.
            data["scope"] = scopes[0].key
        super().__init__(data)
        # "from" is a Python keyword, so the date fields are added here rather than declared.
        self.fields["from"] = _date_field(_("From date"), _("The from date"))
        self.fields["to"] = _date_field(_("To date"), _("The to date"))
        self.scopes = scopes or []
        self.fields["scope"].widget.choices = scope_choices(self.scopes)
        self.user = user
        self.today = today

    def clean_scope(self) -> Scope:
        key = self.cleaned_data["scope"]
        try:
            # PermissionDenied is not caught: a scope the user may not see is refused (403).
            return scope_for(self.user, key or None, today=self.today)
        except ValueError as exc:
            raise ValidationError(_("Choose what to show figures for from the list")) from exc

    def _chosen_day(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        if day is None and name not in self.errors:
            self.add_error(name, MISSING_DATE[name])
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        preset = cleaned.get("period")
        if not preset:
            return cleaned
        first_day = last_day = None
        if preset != CUSTOM:
            # Dates typed for "Choose dates" do not count with another period, right or wrong.
            for name in ("from", "to"):
                self.errors.pop(name, None)
        else:
            first_day, last_day = self._chosen_day("from"), self._chosen_day("to")
            if first_day is None or last_day is None:
                return cleaned
            if first_day > self.today:
                self.add_error("from", _("The from date must be today or in the past"))
            if last_day > self.today:
                self.add_error("to", _("The to date must be today or in the past"))
            elif last_day < first_day:
                self.add_error("to", _("The to date must be the same as or after the from date"))
            elif (last_day - first_day).days + 1 > MAX_CUSTOM_DAYS:
                self.add_error("to", _("The period can be at most 3 years long"))
            if self.errors:
                return cleaned
        try:
            cleaned["dates"] = period_for(
                preset=preset, first_day=first_day, last_day=last_day, today=self.today
            )
        except ValueError as exc:
            # Its message is written for the page.
            raise ValidationError(str(exc).rstrip(".")) from exc
        return cleaned

    def filters(self) -> Filters:
        """The filters chosen; only once the form is valid."""
        return Filters(scope=self.cleaned_data["scope"], period=self.cleaned_data["dates"])


class ReportForm(GovukFormMixin, forms.Form):
    """The report's period (weeks) and scope; the scope's choices are the user's dashboard
    scopes."""

    weeks = forms.TypedChoiceField(
        label=_("Period"),
        choices=[(str(weeks), _weeks_label(weeks)) for weeks in REPORT_WEEKS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_REPORT_WEEKS,
        error_messages={"invalid_choice": _("Choose a period from the list")},
    )
    scope = forms.ChoiceField(
        label=_("Show hours for"),
        required=False,
        error_messages={"invalid_choice": _("Choose a scope from the list")},
    )

    def __init__(self, *args, scopes: list, **kw) -> None:
        super().__init__(*args, **kw)
        self.fields["scope"].choices = [(scope.key, scope.title) for scope in scopes]
        self.scopes = {scope.key: scope for scope in scopes}
        self.default_scope = scopes[0] if scopes else None

    def clean(self) -> dict:
        data = super().clean()
        data["scope"] = self.scopes.get(data.get("scope") or "", self.default_scope)
        return data
