"""Residents' forms for alerts: signing up, and changing what they hear about."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscriber
from alerts.subscriptions import (
    CHOOSE_FREQUENCY,
    CHOOSE_NEIGHBOURHOOD,
    CHOOSE_TOPIC,
    TOPIC_LABELS,
    Choices,
)
from config.forms import (
    CHECKBOXES_TEMPLATE,
    RADIOS_TEMPLATE,
    GovukCheckboxes,
    GovukForm,
    GovukRadios,
    HoneypotMixin,
    honeypot_field,
    resident_email_field,
)
from officers.selectors import NeighbourhoodChoice


@dataclass
class DivisionGroup:
    """One division's neighbourhood checkboxes, for the page to show together."""

    name: str
    boxes: list
    any_checked: bool


class ChoicesForm(GovukForm):
    """Neighbourhoods (checkboxes by slug, grouped by division on the page), topics and how
    often. The page renders `neighbourhoods` itself (see division_groups); the other fields
    render through the GOV.UK templates."""

    neighbourhoods = forms.MultipleChoiceField(
        label=_("Neighbourhoods"),
        help_text=_("Select every neighbourhood you want to hear about."),
        widget=GovukCheckboxes,
        error_messages={
            "required": CHOOSE_NEIGHBOURHOOD,
            "invalid_choice": _("Select neighbourhoods from the list"),
        },
    )
    topics = forms.MultipleChoiceField(
        label=_("What do you want to hear about?"),
        help_text=_("Select all that apply."),
        choices=list(TOPIC_LABELS.items()),
        widget=GovukCheckboxes,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={
            "required": CHOOSE_TOPIC,
            "invalid_choice": _("Select things to hear about from the list"),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often do you want emails?"),
        choices=Subscriber.Frequency.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={"required": CHOOSE_FREQUENCY, "invalid_choice": CHOOSE_FREQUENCY},
    )

    def __init__(self, *args, neighbourhoods: list[NeighbourhoodChoice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.by_slug = {choice.slug: choice for choice in neighbourhoods}
        self.fields["neighbourhoods"].choices = [
            (choice.slug, choice.name) for choice in neighbourhoods
        ]
        self.division_of = {
            choice.slug: choice.division_name or _("Other") for choice in neighbourhoods
        }

    @classmethod
    def initial_for(cls, choices: Choices, neighbourhoods: list[NeighbourhoodChoice]) -> dict:
        slugs = {choice.pk: choice.slug for choice in neighbourhoods}
        return {
            "neighbourhoods": [slugs[pk] for pk in choices.neighbourhood_ids if pk in slugs],
            "topics": [flag for flag in TOPIC_LABELS if getattr(choices, flag)],
            "frequency": choices.frequency,
        }

    def division_groups(self) -> list[DivisionGroup]:
        """The neighbourhood checkboxes by division, in the order of the list (by division
        then name), each box's id as Django gives it, so error links find the first."""
        groups: list[DivisionGroup] = []
        for box in self["neighbourhoods"]:
            division = self.division_of.get(box.data["value"], _("Other"))
            if not groups or groups[-1].name != division:
                groups.append(DivisionGroup(name=division, boxes=[], any_checked=False))
            groups[-1].boxes.append(box)
            groups[-1].any_checked |= bool(box.data["selected"])
        return groups

    def choices(self) -> Choices:
        data = self.cleaned_data
        return Choices(
            neighbourhood_ids=tuple(self.by_slug[slug].pk for slug in data["neighbourhoods"]),
            events="events" in data["topics"],
            priorities="priorities" in data["topics"],
            surveys="surveys" in data["topics"],
            frequency=data["frequency"],
        )


class SubscribeForm(HoneypotMixin, ChoicesForm):
    email = resident_email_field(
        help_text=_("We send a link to this address to confirm it is yours.")
    )
    website = honeypot_field()

    field_order = ["email", "neighbourhoods", "topics", "frequency", "website"]
