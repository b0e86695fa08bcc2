"""Residents' forms for events: the filters of the events list, and registering for a place."""

import datetime

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.forms import (
    GovukForm,
    HoneypotMixin,
    PlainTextField,
    TypedDateField,
    honeypot_field,
    resident_email_field,
)
from meetings.models import EventType
from meetings.services.registrations import NAME_MAX_LENGTH, NEEDS_MAX_LENGTH
from officers.forms import NeighbourhoodFilterForm
from officers.selectors import NeighbourhoodChoice


def _date_field(label: str, subject: str) -> TypedDateField:
    return TypedDateField(label=label, required=False, subject=subject)


class EventFilterForm(NeighbourhoodFilterForm):
    """GET filters: `neighbourhood` (slug), `type`, `from` and `to` (London days, included)."""

    type = forms.ChoiceField(
        label=_("Type of event"),
        required=False,
        choices=[("", _("All types")), *EventType.choices],
        error_messages={"invalid_choice": _("Select a type of event from the list")},
    )

    def __init__(self, *args, neighbourhoods: list[NeighbourhoodChoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = _date_field(_("From date"), _("The from date"))
        self.fields["to"] = _date_field(_("To date"), _("The to date"))
        self.set_neighbourhoods(neighbourhoods)

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_from: datetime.date | None = cleaned.get("from")
        starts_to: datetime.date | None = cleaned.get("to")
        if starts_from and starts_to and starts_to < starts_from:
            self.add_error("to", _("The to date must be the same as or after the from date"))
        return cleaned

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in ("neighbourhood", "type", "from", "to"))


class RegistrationForm(HoneypotMixin, GovukForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your name"),
            "max_length": format_lazy(
                _("Your name must be {limit} characters or fewer"), limit=NAME_MAX_LENGTH
            ),
        },
    )
    email = resident_email_field(
        help_text=_("We send your confirmation here, with a link to cancel your place.")
    )
    accessibility_needs = PlainTextField(
        label=_("Access needs (optional)"),
        help_text=_(
            "Tell us anything you need to take part, for example step-free access, a hearing "
            "loop, a British Sign Language interpreter or large print."
        ),
        required=False,
        max_length=NEEDS_MAX_LENGTH,
        rows=4,
        error_messages={
            "max_length": format_lazy(
                _("Your access needs must be {limit} characters or fewer"),
                limit=f"{NEEDS_MAX_LENGTH:,}",
            )
        },
    )
    website = honeypot_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        days = settings.REGISTRATION_RETENTION_DAYS
        self.privacy_text = gettext(
            "We use your details only for this event, and remove them {days} days after it."
        ).format(days=days)
