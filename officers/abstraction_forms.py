"""Forms of the abstractions log and report. They read what was typed; the rules (no overlap,
who may log for whom) are officers.abstractions'."""

import datetime

from django import forms
from django.db.models import QuerySet

from config.dates import LONDON
from config.forms import GovukFormMixin
from meetings.staff_forms import GovukRadios, TimeOfDayField, date_field
from officers.abstractions import DEFAULT_REPORT_WEEKS, NOTE_MAX_LENGTH, REPORT_WEEKS
from officers.models import Abstraction, Officer

RADIOS_TEMPLATE = "forms/govuk_radios.html"
END_MISSING = "Enter when the abstraction ended, or tick “Still away”"


def _time_field(label: str, *, required: bool, missing: str = "") -> TimeOfDayField:
    return TimeOfDayField(
        label=label,
        required=required,
        help_text="For example, 09:00 or 9am",
        error_messages={"required": missing, "invalid": "Enter a time, like 09:00 or 9am"},
    )


def _london(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=LONDON)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return str(obj)


class AbstractionForm(GovukFormMixin, forms.Form):
    """Who (for a sergeant or administrator), why, from when and until when."""

    officer = OfficerChoiceField(
        label="Officer",
        queryset=Officer.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose an officer from the list"},
    )
    reason = forms.ChoiceField(
        label="Why are you away from the neighbourhood?",
        choices=Abstraction.Reason.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": "Choose why you are away",
            "invalid_choice": "Choose one of the reasons listed",
        },
    )
    start_date = date_field("Start date", missing="Enter the start date")
    start_time = _time_field("Start time", required=True, missing="Enter the start time")
    still_away = forms.BooleanField(label="Still away", required=False)
    end_date = date_field("End date")
    end_time = _time_field("End time", required=False)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The note must be {NOTE_MAX_LENGTH} characters or fewer"},
    )

    def __init__(
        self, *args, officers: QuerySet[Officer] | None = None, with_officer: bool = True, **kw
    ) -> None:
        super().__init__(*args, **kw)
        if with_officer and officers is not None:
            self.fields["officer"].queryset = officers
        else:
            del self.fields["officer"]
        self.fields["still_away"].help_text = "Leave the end empty until you are back"

    @classmethod
    def initial_for_now(cls, now: datetime.datetime) -> dict:
        local = now.astimezone(LONDON)
        return {
            "start_date": local.date(),
            "start_time": local.time().replace(second=0, microsecond=0),
            "still_away": True,
        }

    @classmethod
    def initial_for(cls, abstraction: Abstraction) -> dict:
        starts = abstraction.starts_at.astimezone(LONDON)
        initial = {
            "reason": abstraction.reason,
            "start_date": starts.date(),
            "start_time": starts.time(),
            "still_away": abstraction.ends_at is None,
            "note": abstraction.note,
        }
        if abstraction.ends_at is not None:
            ends = abstraction.ends_at.astimezone(LONDON)
            initial.update(end_date=ends.date(), end_time=ends.time())
        return initial

    def clean(self) -> dict:
        data = super().clean()
        if data.get("still_away"):
            data["ends_at"] = None
        else:
            end_date, end_time = data.get("end_date"), data.get("end_time")
            if "end_date" not in self.errors and end_date is None:
                self.add_error("end_date", END_MISSING)
            if "end_time" not in self.errors and end_time is None:
                self.add_error("end_time", "Enter the end time, or tick “Still away”")
            if end_date and end_time:
                data["ends_at"] = _london(end_date, end_time)
        if data.get("start_date") and data.get("start_time"):
            data["starts_at"] = _london(data["start_date"], data["start_time"])
        return data


class ReportForm(GovukFormMixin, forms.Form):
    """The report's period (weeks) and scope; the scope's choices are the user's dashboard
    scopes."""

    weeks = forms.TypedChoiceField(
        label="Period",
        choices=[(str(weeks), f"Last {weeks} weeks") for weeks in REPORT_WEEKS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_REPORT_WEEKS,
        error_messages={"invalid_choice": "Choose a period from the list"},
    )
    scope = forms.ChoiceField(
        label="Show hours for",
        required=False,
        error_messages={"invalid_choice": "Choose a scope from the list"},
    )

    def __init__(self, *args, scopes: list, **kw) -> None:
        super().__init__(*args, **kw)
        self.fields["scope"].choices = [(scope.key, scope.label) for scope in scopes]
        self.scopes = {scope.key: scope for scope in scopes}
        self.default_scope = scopes[0] if scopes else None

    def clean(self) -> dict:
        data = super().clean()
        data["scope"] = self.scopes.get(data.get("scope") or "", self.default_scope)
        return data
