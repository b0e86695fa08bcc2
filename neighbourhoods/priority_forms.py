"""Forms of the staff priorities area. They read what was typed; the rules (a resolved
priority says what was done, dates not in the future) live in neighbourhoods.priorities, whose
messages are shown next to the field they concern."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from config.forms import GovukFormMixin
from meetings.staff_forms import (
    RADIOS_TEMPLATE,
    GovukRadios,
    ManagedNeighbourhoodForm,
    PlainTextField,
    ServiceErrorsMixin,
    date_field,
)
from neighbourhoods.models import Neighbourhood, Priority
from neighbourhoods.priorities import EDITABLE_FIELDS, TEXT_MAX_LENGTH


class PriorityForm(ServiceErrorsMixin, GovukFormMixin, ManagedNeighbourhoodForm):
    """A priority's fields. `neighbourhoods`: those the officer manages (only when adding)."""

    issue = PlainTextField(
        label="Issue",
        rows=3,
        max_length=TEXT_MAX_LENGTH,
        help_text="What residents raised, as they would say it. Residents see this.",
        error_messages={"required": "Enter the issue"},
    )
    action = PlainTextField(
        label="What we are doing",
        rows=4,
        required=False,
        help_text="What the team is doing about it; once resolved, what was done. Plain text.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Priority.Status.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": "Choose the status",
            "invalid_choice": "Choose open, in progress or resolved",
        },
    )
    issue_date = date_field(
        "Date raised",
        missing="Enter the date the issue was raised",
    )
    action_date = date_field(
        "Action date (optional)",
        help_text="When the action last changed; for a resolved priority, the day it was resolved. "
        "Left empty, it is today when the action or status changes.",
    )
    review_date = date_field(
        "Review date (optional)",
        help_text=(
            "When the team will look at it again. After this date it shows as overdue for review."
        ),
    )

    field_order = ["neighbourhood", "issue", "action", "status", *EDITABLE_FIELDS[3:]]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}

    @staticmethod
    def initial_for(priority: Priority) -> dict[str, Any]:
        return {name: getattr(priority, name) for name in EDITABLE_FIELDS}


STATUS_FILTER_CHOICES = [
    ("current", "Current (open or in progress)"),
    ("open", "Open"),
    ("in_progress", "In progress"),
    ("resolved", "Resolved"),
    ("all", "All"),
]


class PriorityFilterForm(GovukFormMixin, forms.Form):
    """The staff list's filters. Anything not understood is ignored with a message, never
    an error page."""

    neighbourhood = forms.ChoiceField(label="Neighbourhood", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=STATUS_FILTER_CHOICES, initial="current"
    )
    overdue = forms.BooleanField(
        label="Only those overdue for review",
        required=False,
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args, neighbourhoods: QuerySet[Neighbourhood], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.areas = list(neighbourhoods.order_by("name").only("pk", "slug", "name"))
        self.fields["neighbourhood"].choices = [
            ("", "All your neighbourhoods"),
            *((area.slug, area.name) for area in self.areas),
        ]
        self.fields["neighbourhood"].error_messages["invalid_choice"] = (
            "Choose one of the neighbourhoods you look after"
        )
        self.fields["status"].error_messages["invalid_choice"] = "Choose one of the statuses listed"

    def chosen(self) -> dict[str, Any]:
        """The neighbourhood, status and overdue choice to list; the defaults for any part
        that is not valid."""
        valid = self.is_valid()
        data = self.cleaned_data if valid else {}
        slug = data.get("neighbourhood") or ""
        return {
            "neighbourhood": next((a for a in self.areas if a.slug == slug), None),
            "status": data.get("status") or "current",
            "overdue_only": bool(data.get("overdue")),
        }
