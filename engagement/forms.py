"""Forms of local priorities and Have your say: the officers' priority and survey forms, and
residents' answer and support forms. They read what was typed; the rules live in
engagement.priorities, engagement.surveys and engagement.answers, whose messages are shown
next to the field they concern."""

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.bilingual import marked
from config.forms import (
    RADIOS_TEMPLATE,
    GovukDateField,
    GovukFormMixin,
    GovukRadios,
    HoneypotMixin,
    PlainTextField,
    ServiceErrorsMixin,
    WelshTwinsMixin,
    date_field,
    honeypot_field,
    resident_email_field,
)
from engagement.models import Priority, Survey
from engagement.priorities import EDITABLE_FIELDS, TEXT_MAX_LENGTH, WELSH_FIELDS
from engagement.surveys import (
    DESCRIPTION_MAX_LENGTH,
    FREE_TEXT_MAX_LENGTH,
    MAX_OPTIONS,
    MIN_OPTIONS,
    QUESTION_MAX_LENGTH,
    option_labels,
    options_error,
)
from neighbourhoods.forms import ManagedNeighbourhoodForm
from neighbourhoods.models import Neighbourhood

# --- Local priorities -------------------------------------------------------------------------


class PriorityForm(WelshTwinsMixin, ServiceErrorsMixin, GovukFormMixin, ManagedNeighbourhoodForm):
    """A priority's fields. `neighbourhoods`: those the officer manages (only when adding)."""

    WELSH_TWINS = ("issue", "action")

    issue = PlainTextField(
        label=_("Issue"),
        rows=3,
        max_length=TEXT_MAX_LENGTH,
        help_text=_("What residents raised, as they would say it. Residents see this."),
        error_messages={"required": _("Enter the issue")},
    )
    action = PlainTextField(
        label=_("What we are doing"),
        rows=4,
        max_length=TEXT_MAX_LENGTH,
        required=False,
        help_text=_("What the team is doing about it; once resolved, what was done. Plain text."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Priority.Status.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": _("Choose the status"),
            "invalid_choice": _("Choose open, in progress or resolved"),
        },
    )
    issue_date = date_field(
        _("Date raised"),
        subject=_("The date raised"),
        missing=_("Enter the date the issue was raised"),
    )
    action_date = date_field(
        _("Action date (optional)"),
        subject=_("The action date"),
        help_text=_(
            "When the action last changed; for a resolved priority, the day it was resolved. "
            "Left empty, it is today when the action or status changes."
        ),
    )
    review_date = date_field(
        _("Review date (optional)"),
        subject=_("The review date"),
        help_text=_(
            "When the team will look at it again. After this date it shows as overdue for review."
        ),
    )

    field_order = ["neighbourhood", "issue", "action", "status", *EDITABLE_FIELDS[3:]]

    def service_data(self) -> dict[str, Any]:
        names = [*EDITABLE_FIELDS, *(name for name in WELSH_FIELDS if name in self.fields)]
        return {name: self.cleaned_data.get(name) for name in names}

    @staticmethod
    def initial_for(priority: Priority) -> dict[str, Any]:
        return {name: getattr(priority, name) for name in (*EDITABLE_FIELDS, *WELSH_FIELDS)}


STATUS_FILTER_CHOICES = [
    ("current", _("Current (open or in progress)")),
    ("open", _("Open")),
    ("in_progress", _("In progress")),
    ("resolved", _("Resolved")),
    ("all", _("All")),
]


class PriorityFilterForm(GovukFormMixin, forms.Form):
    """The staff list's filters. Anything not understood is ignored with a message, never
    an error page."""

    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=STATUS_FILTER_CHOICES, initial="current"
    )
    overdue = forms.BooleanField(
        label=_("Only those overdue for review"),
        required=False,
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args, neighbourhoods: QuerySet[Neighbourhood], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.areas = list(neighbourhoods.order_by("name").only("pk", "slug", "name"))
        self.fields["neighbourhood"].choices = [
            ("", gettext("All your neighbourhoods")),
            *((area.slug, area.name) for area in self.areas),
        ]
        self.fields["neighbourhood"].error_messages["invalid_choice"] = gettext(
            "Choose one of the neighbourhoods you look after"
        )
        self.fields["status"].error_messages["invalid_choice"] = gettext(
            "Choose one of the statuses listed"
        )

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


# --- Have your say -----------------------------------------------------------------------------


FREE_TEXT_HINT = _("Do not include names, addresses, phone numbers or email addresses.")


def _date_field(label: str, subject: str, missing: str) -> GovukDateField:
    help_text = _("Residents can answer all day on this date.")
    return date_field(label, help_text=help_text, subject=subject, missing=missing)


class SurveyForm(WelshTwinsMixin, ServiceErrorsMixin, GovukFormMixin, ManagedNeighbourhoodForm):
    """A survey's fields. `neighbourhoods`: those the officer manages (only when adding)."""

    WELSH_TWINS = ("question", "description", "options")

    question = forms.CharField(
        label=_("Question"),
        max_length=QUESTION_MAX_LENGTH,
        initial="What should we focus on next?",
        error_messages={
            "required": _("Enter the question"),
            "max_length": format_lazy(
                _("The question must be {count} characters or fewer"), count=QUESTION_MAX_LENGTH
            ),
        },
    )
    description = PlainTextField(
        label=_("Description (optional)"),
        rows=3,
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Why you are asking and what you will do with the answers. Plain text."),
    )
    options = PlainTextField(
        label=_("Options"),
        rows=6,
        max_length=MAX_OPTIONS * 201,
        help_text=format_lazy(
            _(
                "One on each line, {least} to {most} options. "
                "They cannot change once a resident has answered."
            ),
            least=MIN_OPTIONS,
            most=MAX_OPTIONS,
        ),
        error_messages={
            "required": format_lazy(
                _("Enter at least {count} options, one on each line"), count=MIN_OPTIONS
            )
        },
    )
    allow_free_text = forms.BooleanField(
        label=_("Let residents add a comment"),
        required=False,
        help_text=_("Comments are shown only after you approve them."),
    )
    opens_on = _date_field(
        _("Opens on"), _("The date the survey opens"), _("Enter the date the survey opens")
    )
    closes_on = _date_field(
        _("Closes on"), _("The date the survey closes"), _("Enter the date the survey closes")
    )

    def clean_options(self) -> str:
        # Checked here as well as by the service, so it is reported with any other mistake.
        text = self.cleaned_data["options"]
        problem = options_error(option_labels(text))
        if problem:
            raise forms.ValidationError(problem)
        return text

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        welsh = {}
        if "question_cy" in self.fields:
            welsh = {
                "question_cy": data["question_cy"],
                "description_cy": data["description_cy"],
                "options_cy": option_labels(data["options_cy"]),
            }
        return {
            "question": data["question"],
            "description": data["description"],
            "options": option_labels(data["options"]),
            "allow_free_text": data["allow_free_text"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            **welsh,
        }

    @staticmethod
    def initial_for(survey: Survey) -> dict[str, Any]:
        options = survey.options.all()
        return {
            "question": survey.question,
            "description": survey.description,
            "options": "\n".join(option.label for option in options),
            "question_cy": survey.question_cy,
            "description_cy": survey.description_cy,
            "options_cy": "\n".join(option.label_cy for option in options if option.label_cy),
            "allow_free_text": survey.allow_free_text,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
        }


class _ResidentEmailForm(HoneypotMixin, GovukFormMixin, forms.Form):
    email = resident_email_field()
    website = honeypot_field()

    @property
    def privacy_text(self) -> str:
        return gettext(
            "We keep your email address only to send the confirmation link, and forget it "
            "after {days} days."
        ).format(days=settings.CONFIRMATION_LINK_DAYS)


class AnswerForm(_ResidentEmailForm):
    """A resident's answer to `survey`: one of its options, a comment if it asks for one, and
    the address the confirmation link goes to."""

    field_order = ["option", "free_text", "email", "website"]

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"] = forms.TypedChoiceField(
            label=marked(survey, "question"),
            choices=[(option.pk, marked(option, "label")) for option in survey.options.all()],
            coerce=int,
            widget=GovukRadios,
            template_name=RADIOS_TEMPLATE,
            error_messages={
                "required": _("Select an answer"),
                "invalid_choice": _("Select one of the answers listed"),
            },
        )
        if survey.allow_free_text:
            self.fields["free_text"] = PlainTextField(
                label=_("Anything else you want to tell us (optional)"),
                rows=4,
                required=False,
                max_length=FREE_TEXT_MAX_LENGTH,
                help_text=format_lazy(
                    "{} {}",
                    FREE_TEXT_HINT,
                    _("Comments are read by the team first and may be published with the results."),
                ),
                error_messages={
                    "max_length": format_lazy(
                        _("Your comments must be {limit} characters or fewer"),
                        limit=f"{FREE_TEXT_MAX_LENGTH:,}",
                    )
                },
            )
        self.fields["email"].help_text = _(
            "We send a link here to confirm your answer. Each email address can answer once."
        )
        self.order_fields(self.field_order)


class SupportForm(_ResidentEmailForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "We send a link here to confirm your support. Each email address counts once."
        )
