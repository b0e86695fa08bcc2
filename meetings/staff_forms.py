"""Forms of the staff events area. They read what was typed; the rules (dates in the future,
postcodes, joining links, capacity) live in meetings.services (common, events, series and
outcomes), whose messages are shown next to the field they concern (`add_service_errors`)."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.bilingual import in_language
from config.dates import LONDON
from config.forms import (
    CHECKBOXES_TEMPLATE,
    RADIOS_TEMPLATE,
    GovukCheckboxes,
    GovukFormMixin,
    GovukRadios,
    PlainTextField,
    ServiceErrorsMixin,
    TextInput,
    WelshTwinsMixin,
    date_field,
    text_field,
    time_field,
)
from engagement.models import Priority
from meetings import recurrence as rules
from meetings.models import Event, EventDetails, Series
from meetings.services.common import TEXT_MAX_LENGTH
from neighbourhoods.forms import ManagedNeighbourhoodForm
from neighbourhoods.models import Neighbourhood

ACCESSIBILITY = [
    ("step_free_access", _("Step-free access")),
    ("hearing_loop", _("Hearing loop")),
    ("parking", _("Parking")),
]
REPEATS = [
    ("weekly", _("Every week")),
    ("fortnightly", _("Every two weeks")),
    ("monthly_1", _("Every month, on the first one in the month")),
    ("monthly_2", _("Every month, on the second one in the month")),
    ("monthly_3", _("Every month, on the third one in the month")),
    ("monthly_4", _("Every month, on the fourth one in the month")),
    ("monthly_-1", _("Every month, on the last one in the month")),
]
# More than any hall holds, and far inside the database's integers.
LARGEST_NUMBER = 100_000
LARGEST_TEXT = f"{LARGEST_NUMBER:,}"


class EventDetailsForm(
    WelshTwinsMixin, ServiceErrorsMixin, GovukFormMixin, ManagedNeighbourhoodForm
):
    """The fields an event and a series share. `neighbourhoods`: those the officer manages."""

    WELSH_TWINS = ("title", "description", "venue_name", "address")

    event_type = forms.ChoiceField(
        label=_("Type of event"),
        choices=[("", _("Choose the type")), *Event.Type.choices],
        error_messages={
            "required": _("Choose the type of event"),
            "invalid_choice": _("Choose one of the types listed"),
        },
    )
    title = text_field(
        _("Title"),
        200,
        _("Residents see this first, for example “Normanton beat meeting”."),
        error_messages={"required": _("Enter a title")},
    )
    description = PlainTextField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Description"),
        required=False,
        help_text=_("What the event is for and who should come. Plain text."),
    )
    venue_name = text_field(
        _("Venue"), 200, _("For example, Normanton Community Centre"), required=False
    )
    address = text_field(_("Address"), 300, required=False)
    postcode = text_field(
        _("Postcode"),
        10,
        required=False,
        widget=TextInput(width=10, attrs={"autocomplete": "off"}),
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        help_text=_("Select all that the venue has."),
        choices=ACCESSIBILITY,
        required=False,
        widget=GovukCheckboxes,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={"invalid_choice": _("Choose from the options listed")},
    )
    accessibility_notes = PlainTextField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Accessibility notes"),
        required=False,
        rows=3,
        help_text=_("For example, where the step-free entrance is, or the nearest bus stop."),
    )
    online_url = text_field(
        _("Online joining link"),
        500,
        _("Only for events held online, or that people can also join online. Starts with https://"),
        required=False,
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )
    capacity = forms.IntegerField(
        label=_("Capacity (optional)"),
        help_text=_("The most people who can register. Leave it empty for no limit."),
        required=False,
        min_value=1,
        max_value=LARGEST_NUMBER,
        widget=TextInput(width=5, attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the capacity as a whole number, like 40"),
            "min_value": _("Enter a capacity of 1 or more, or leave it empty for no limit"),
            "max_value": format_lazy(
                _("Enter a capacity of {number} or fewer"), number=LARGEST_TEXT
            ),
        },
    )

    # Where a service's message about a model field is shown.
    SERVICE_FIELDS: dict[str, str] = {name: "accessibility" for name, _label in ACCESSIBILITY}

    def details(self) -> dict[str, Any]:
        """The cleaned detail fields, as the services take them."""
        data = self.cleaned_data
        details = {
            name: data.get(name) for name in EventDetails.DETAIL_FIELDS if name in self.fields
        }
        chosen = set(data.get("accessibility") or [])
        for name, _label in ACCESSIBILITY:
            details[name] = name in chosen
        return details

    @staticmethod
    def initial_details(source: EventDetails) -> dict[str, Any]:
        initial = {name: getattr(source, name) for name in EventDetails.DETAIL_FIELDS}
        initial["neighbourhood"] = source.neighbourhood_id
        initial["accessibility"] = [name for name, _label in ACCESSIBILITY if getattr(source, name)]
        return initial


class EventForm(EventDetailsForm):
    """A one-off event: the details, and its date and London start and end times."""

    date = date_field(
        _("Date"), subject=_("The date of the event"), missing=_("Enter the date of the event")
    )
    start_time = time_field(_("Start time"), _("Enter the start time"))
    end_time = time_field(_("End time"), _("Enter the end time"))

    field_order = [
        "neighbourhood",
        "event_type",
        "title",
        "description",
        "date",
        "start_time",
        "end_time",
    ]
    SERVICE_FIELDS = {
        **EventDetailsForm.SERVICE_FIELDS,
        "starts_at": "date",
        "ends_at": "end_time",
    }

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        starts_at = datetime.datetime.combine(data["date"], data["start_time"], tzinfo=LONDON)
        ends_at = datetime.datetime.combine(data["date"], data["end_time"], tzinfo=LONDON)
        return {**self.details(), "starts_at": starts_at, "ends_at": ends_at}

    @classmethod
    def initial_for(cls, event: Event, *, duplicate: bool = False) -> dict[str, Any]:
        """The form's values for editing the event, or for a copy of it on a new date."""
        initial = cls.initial_details(event)
        starts, ends = event.starts_at.astimezone(LONDON), event.ends_at.astimezone(LONDON)
        initial.update(start_time=starts.time(), end_time=ends.time())
        if not duplicate:
            initial["date"] = starts.date()
        return initial


class SeriesForm(EventDetailsForm):
    """A repeating meeting: the details, the repeat pattern, the first date and the times."""

    repeat = forms.ChoiceField(
        label=_("How often"),
        help_text=_(
            "For example, with Tuesday as the day, “Every month, on the first one in "
            "the month” means the first Tuesday of every month."
        ),
        choices=REPEATS,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": _("Choose how often it repeats"),
            "invalid_choice": _("Choose one of the patterns listed"),
        },
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"),
        choices=[("", _("Choose a day")), *enumerate(_(name) for name in rules.WEEKDAY_NAMES)],
        coerce=int,
        error_messages={
            "required": _("Choose the day of the week"),
            "invalid_choice": _("Choose a day of the week"),
        },
    )
    first_date = date_field(
        _("First meeting on or after"),
        help_text=_("The series starts on the first date from this one that fits the pattern."),
        subject=_("The date of the first meeting"),
        missing=_("Enter the date of the first meeting"),
    )
    start_time = time_field(_("Start time"), _("Enter the start time"))
    end_time = time_field(_("End time"), _("Enter the end time"))

    field_order = [
        "neighbourhood",
        "event_type",
        "title",
        "description",
        "weekday",
        "repeat",
        "first_date",
        "start_time",
        "end_time",
    ]
    SERVICE_FIELDS = {**EventDetailsForm.SERVICE_FIELDS, "pattern": "repeat"}

    def pattern(self) -> rules.Pattern:
        repeat, weekday = self.cleaned_data["repeat"], self.cleaned_data["weekday"]
        if repeat.startswith("monthly_"):
            return rules.Pattern("monthly", weekday, int(repeat.removeprefix("monthly_")))
        return rules.Pattern(repeat, weekday)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.details(),
            "pattern": self.pattern(),
            "first_date": data["first_date"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
        }


class SeriesDetailsForm(EventDetailsForm):
    """A series' details, changed for it and its future occurrences (not its rule or times)."""

    @classmethod
    def initial_for(cls, series: Series) -> dict[str, Any]:
        return cls.initial_details(series)


class ReasonForm(ServiceErrorsMixin, GovukFormMixin, forms.Form):
    reason = PlainTextField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Reason"),
        rows=3,
        help_text=_("Everyone registered is emailed this, and residents see it on the event page."),
        error_messages={"required": _("Enter the reason for cancelling")},
    )


class PriorityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Priority) -> str:
        return obj.issue if len(obj.issue) <= 160 else f"{obj.issue[:157]}…"


class OutcomeFields(WelshTwinsMixin, forms.Form):
    """What came of a meeting: asked by the outcome form and by the past meeting form."""

    WELSH_TWINS = ("summary", "issues_raised")

    attendance = forms.IntegerField(
        label=_("How many people came"),
        min_value=0,
        max_value=LARGEST_NUMBER,
        widget=TextInput(width=5, attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how many people came"),
            "invalid": _("Enter how many people came, as a whole number"),
            "min_value": _("Enter how many people came, as a whole number"),
            "max_value": format_lazy(_("Enter a number of {number} or fewer"), number=LARGEST_TEXT),
        },
    )
    summary = PlainTextField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Summary"),
        rows=6,
        help_text=_("What was discussed and agreed. Residents see this on the neighbourhood page."),
        error_messages={"required": _("Enter a summary of the meeting")},
    )
    issues_raised = PlainTextField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Issues raised"),
        required=False,
        help_text=_("One issue per line, for example “Speeding on Fox Lane after school”."),
    )
    create_priorities = forms.BooleanField(
        label=_("Add each issue as a new priority for the neighbourhood"), required=False
    )

    def outcome_data(self) -> dict[str, Any]:
        """The cleaned outcome fields, as the outcome services take them."""
        names = ("attendance", "summary", "issues_raised", "create_priorities")
        data = {name: self.cleaned_data[name] for name in names}
        for name in ("summary_cy", "issues_raised_cy"):
            if name in self.fields:
                data[name] = self.cleaned_data[name]
        return data


class OutcomeForm(ServiceErrorsMixin, GovukFormMixin, OutcomeFields):
    priorities = PriorityChoiceField(
        label=_("Current priorities discussed"),
        help_text=_("Select each priority the meeting talked about: it shows as updated."),
        queryset=Priority.objects.none(),
        required=False,
        widget=GovukCheckboxes,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={"invalid_choice": _("Choose from the priorities listed")},
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["create_priorities"].label = gettext(
            "Add each issue as a new priority for %(name)s"
        ) % {"name": in_language(event.neighbourhood, "name")}
        self.fields["priorities"].queryset = Priority.objects.current().filter(
            neighbourhood_id=event.neighbourhood_id
        )


class PastMeetingForm(EventForm, OutcomeFields):
    """A meeting that took place without being listed beforehand, with what came of it. What
    only matters to people who are still to come (capacity, access) is not asked."""

    capacity = None
    accessibility = None
    accessibility_notes = None

    field_order = [
        "neighbourhood",
        "event_type",
        "title",
        "date",
        "start_time",
        "end_time",
        "venue_name",
        "address",
        "postcode",
        "online_url",
        "description",
        "attendance",
        "summary",
        "issues_raised",
        "create_priorities",
    ]

    # The first field of the form's second part, "What came of it".
    FIRST_OUTCOME_FIELD = "attendance"
    WELSH_TWINS = (*EventForm.WELSH_TWINS, *OutcomeFields.WELSH_TWINS)


class ListFilterForm(GovukFormMixin, forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All your neighbourhoods"),
        error_messages={"invalid_choice": _("Choose one of the neighbourhoods you look after")},
    )

    def __init__(self, *args, neighbourhoods: QuerySet[Neighbourhood], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods.order_by("name")

    def chosen(self) -> Neighbourhood | None:
        return self.cleaned_data.get("neighbourhood") if self.is_valid() else None
