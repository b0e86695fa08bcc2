"""The forms of hotspots and patrols. They read what was typed; the rules are the services'."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from config.dates import LONDON, month_text
from config.forms import (
    CHECKBOXES_TEMPLATE,
    RADIOS_TEMPLATE,
    GovukCheckboxes,
    GovukFormMixin,
    GovukRadios,
    PlainTextField,
    ServiceErrorsMixin,
    TextInput,
    date_field,
    text_field,
    time_field,
)
from neighbourhoods.models import Neighbourhood
from patrols import areas
from patrols.models import OUTCOMES, Hotspot
from patrols.selectors import add_months
from patrols.services import NOTE_MAX_LENGTH, REASON_MAX_LENGTH

PATROL_TIMES = "21:30 or 9:30pm"
POLYGON, CIRCLE = "polygon", "circle"
# More hotspots than this are a select rather than radios.
MOST_RADIOS = 8


def _london(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=LONDON)


def count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        initial=0,
        min_value=0,
        max_value=10_000,
        widget=TextInput(width=3, attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
        error_messages={
            "min_value": format_lazy(gettext_lazy("{label} must be 0 or more"), label=label),
            "max_value": format_lazy(gettext_lazy("{label} must be 10,000 or fewer"), label=label),
            "invalid": format_lazy(
                gettext_lazy("{label} must be a whole number, like 2"), label=label
            ),
        },
    )


class HotspotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Hotspot) -> str:
        return f"{obj.name}, {obj.neighbourhood.name}"


class OfficersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class PatrolForm(ServiceErrorsMixin, GovukFormMixin, forms.Form):
    """Which hotspot, when, who else, what came of it."""

    SERVICE_FIELDS = {"ends_at": "end_time", "starts_at": "start_time"}

    hotspot = HotspotChoiceField(
        label=gettext_lazy("Which hotspot did you patrol?"),
        queryset=Hotspot.objects.none(),
        empty_label=None,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": gettext_lazy("Choose the hotspot you patrolled"),
            "invalid_choice": gettext_lazy("Choose one of the hotspots listed"),
        },
    )
    start_date = date_field(
        gettext_lazy("Date"),
        missing=gettext_lazy("Enter the date of the patrol"),
        subject=gettext_lazy("The date"),
    )
    start_time = time_field(
        gettext_lazy("Start time"), gettext_lazy("Enter the start time"), example=PATROL_TIMES
    )
    end_time = time_field(
        gettext_lazy("End time"),
        gettext_lazy("Enter the end time"),
        example=gettext_lazy("23:30 or 1am"),
    )
    end_date = date_field(
        gettext_lazy("End date (optional)"),
        help_text=gettext_lazy(
            "An end time before the start time is the next day. Give the end date only if "
            "the patrol ended on another day."
        ),
        subject=gettext_lazy("The end date"),
    )
    others = OfficersField(
        label=gettext_lazy("Who else was on the patrol? (optional)"),
        help_text=gettext_lazy("You are on it. Choose anyone else from your team."),
        queryset=None,
        required=False,
        widget=GovukCheckboxes,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={"invalid_choice": gettext_lazy("Choose officers from the list")},
    )
    note = PlainTextField(
        label=gettext_lazy("Note (optional)"),
        help_text=gettext_lazy("For staff only: it never appears in public figures."),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        rows=3,
        error_messages={
            "max_length": format_lazy(
                gettext_lazy("The note must be {limit} characters or fewer"), limit=NOTE_MAX_LENGTH
            )
        },
    )

    def __init__(self, *args, hotspots: QuerySet[Hotspot], team: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hotspot"].queryset = hotspots
        if hotspots.count() > MOST_RADIOS:
            self.fields["hotspot"].widget = forms.Select(choices=self.fields["hotspot"].choices)
            self.fields["hotspot"].template_name = None
        self.fields["others"].queryset = team
        for name, label, _one, _many in OUTCOMES:
            self.fields[name] = count_field(label)

    @property
    def outcome_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, *_ in OUTCOMES]

    @property
    def hotspot_radios(self) -> bool:
        return isinstance(self.fields["hotspot"].widget, GovukRadios)

    def clean(self) -> dict:
        data = super().clean()
        day, start, end = data.get("start_date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = _london(day, start)
            end_day = data.get("end_date")
            if end_day is None:
                # A patrol over midnight: an end before the start is the next day's.
                end_day = day if end > start else day + datetime.timedelta(days=1)
            data["ends_at"] = _london(end_day, end)
        for name, *_ in OUTCOMES:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class HotspotForm(ServiceErrorsMixin, GovukFormMixin, forms.Form):
    """Where (a polygon or a circle), why, and the patrol plan."""

    SERVICE_FIELDS = {"area": "shape", "plan_starts_on": "plan_start", "plan_ends_on": "plan_end"}

    neighbourhood = forms.ModelChoiceField(
        label=gettext_lazy("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Choose a neighbourhood from the list")},
    )
    name = text_field(
        gettext_lazy("Name of the place"),
        120,
        gettext_lazy("A street, park or shopping parade, as residents know it."),
        error_messages={"required": gettext_lazy("Enter the name of the place")},
    )
    reason = PlainTextField(
        label=gettext_lazy("Why officers patrol it"),
        help_text=gettext_lazy("For example, reports of nuisance behaviour in the evenings."),
        max_length=REASON_MAX_LENGTH,
        rows=3,
        error_messages={"required": gettext_lazy("Enter why officers patrol it")},
    )
    shape = forms.ChoiceField(
        label=gettext_lazy("Area"),
        choices=[
            (POLYGON, gettext_lazy("Corners of an area")),
            (CIRCLE, gettext_lazy("A radius around a point")),
        ],
        widget=GovukRadios,
        error_messages={
            "required": gettext_lazy("Choose how to give the area"),
            "invalid_choice": gettext_lazy("Choose how to give the area"),
        },
    )
    corners = forms.CharField(
        label=gettext_lazy("Corners"),
        help_text=format_lazy(
            gettext_lazy(
                "One corner a line, as latitude and longitude, in order round the edge. "
                "For example, {example}"
            ),
            example=areas.EXAMPLE,
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    centre = forms.CharField(
        label=gettext_lazy("Centre of the radius"),
        help_text=format_lazy(
            gettext_lazy("Latitude and longitude, for example {example}"), example=areas.EXAMPLE
        ),
        required=False,
        max_length=60,
        widget=TextInput(width=20, attrs={"spellcheck": "false"}),
    )
    radius = forms.IntegerField(
        label=gettext_lazy("Radius in metres"),
        required=False,
        widget=TextInput(width=4, attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": gettext_lazy("Enter the radius as a whole number of metres, like 150")
        },
    )
    plan_start = date_field(
        gettext_lazy("Patrol plan starts"),
        missing=gettext_lazy("Enter when the patrol plan starts"),
    )
    plan_end = date_field(
        gettext_lazy("Patrol plan ends"), missing=gettext_lazy("Enter when the patrol plan ends")
    )
    planned_hours = forms.IntegerField(
        label=gettext_lazy("Planned officer hours"),
        help_text=gettext_lazy("The officer hours of patrol the plan sets for the whole period."),
        min_value=1,
        max_value=100_000,
        widget=TextInput(width=5, attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Enter the planned officer hours"),
            "invalid": gettext_lazy("Enter the planned hours as a whole number, like 120"),
            "min_value": gettext_lazy("The planned hours must be 1 or more"),
            "max_value": gettext_lazy("The planned hours must be 100,000 or fewer"),
        },
    )

    def __init__(self, *args, neighbourhoods: QuerySet[Neighbourhood], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods.order_by("name")

    @property
    def polygon_fields(self) -> list[forms.BoundField]:
        return [self["corners"]]

    @property
    def circle_fields(self) -> list[forms.BoundField]:
        return [self["centre"], self["radius"]]

    @classmethod
    def initial_for(cls, hotspot: Hotspot) -> dict:
        circle = hotspot.radius_metres is not None
        return {
            "neighbourhood": hotspot.neighbourhood_id,
            "name": hotspot.name,
            "reason": hotspot.reason,
            "shape": CIRCLE if circle else POLYGON,
            "corners": "" if circle else areas.as_text(hotspot.area),
            "centre": f"{hotspot.centre_latitude}, {hotspot.centre_longitude}" if circle else "",
            "radius": hotspot.radius_metres,
            "plan_start": hotspot.plan_starts_on,
            "plan_end": hotspot.plan_ends_on,
            "planned_hours": hotspot.planned_hours,
        }

    def clean(self) -> dict:
        data = super().clean()
        shape = data.get("shape")
        data["centre_point"], data["radius_metres"] = None, None
        try:
            if shape == POLYGON:
                if not data.get("corners", "").strip():
                    self.add_error("corners", gettext("Enter the corners of the area, one a line"))
                else:
                    data["polygon"] = areas.polygon_from_text(data["corners"])
            elif shape == CIRCLE:
                self._clean_circle(data)
        except areas.AreaError as error:
            self.add_error("corners" if shape == POLYGON else "centre", str(error))
        return data

    def _clean_circle(self, data: dict) -> None:
        text, radius = data.get("centre", "").strip(), data.get("radius")
        if not text:
            self.add_error("centre", gettext("Enter the centre as a latitude and longitude"))
        if radius is None and "radius" not in self.errors:
            self.add_error("radius", gettext("Enter the radius in metres"))
        if not text or radius is None:
            return
        latitude, longitude = areas.point_from_text(text)
        if not areas.MIN_RADIUS <= radius <= areas.MAX_RADIUS:
            self.add_error(
                "radius",
                gettext("The radius must be between %(least)s and %(most)s metres")
                % {"least": areas.MIN_RADIUS, "most": f"{areas.MAX_RADIUS:,}"},
            )
            return
        data["polygon"] = areas.circle(latitude, longitude, radius)
        data["centre_point"], data["radius_metres"] = (latitude, longitude), radius


class MonthForm(GovukFormMixin, forms.Form):
    """?month=YYYY-MM: one of the months up to this one (this one when missing)."""

    month = forms.ChoiceField(label=gettext_lazy("Month"), required=False)

    def __init__(self, data, *, today: datetime.date, earliest: datetime.date) -> None:
        super().__init__(data)
        this_month = today.replace(day=1)
        months, month = [], this_month
        while month >= earliest and len(months) < 120:
            months.append(month)
            month = add_months(month, -1)
        self.months = months
        self.this_month = this_month
        self.fields["month"].choices = [(f"{m:%Y-%m}", month_text(m)) for m in months]
        self.fields["month"].error_messages["invalid_choice"] = gettext(
            "Choose a month from the list"
        )

    def clean_month(self) -> datetime.date:
        value = self.cleaned_data["month"]
        if not value:
            return self.this_month
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)
