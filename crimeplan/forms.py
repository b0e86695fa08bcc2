"""The staff forms of the Police and Crime Plan. They read what was typed; the rules live in
crimeplan.services, whose messages show next to the field they concern."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import (
    CHECKBOXES_TEMPLATE,
    GovukCheckboxes,
    GovukFormMixin,
    PlainTextField,
    ServiceErrorsMixin,
    date_field,
    text_field,
)
from crimeplan.services import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH


class PlanForm(ServiceErrorsMixin, GovukFormMixin, forms.Form):
    title = text_field(
        _("Title"),
        TITLE_MAX_LENGTH,
        help_text=(
            _("As the Commissioner publishes it, for example “Police and Crime Plan 2024 to 2028”.")
        ),
        error_messages={"required": _("Enter a title")},
    )
    starts_on = date_field(_("Start date"), missing=_("Enter the start date"))
    ends_on = date_field(_("End date"), missing=_("Enter the end date"))


class PlanPriorityForm(ServiceErrorsMixin, GovukFormMixin, forms.Form):
    title = text_field(
        _("Priority"),
        TITLE_MAX_LENGTH,
        help_text=_("For example, “Neighbourhood crime and policing”."),
        error_messages={"required": _("Enter a title")},
    )
    description = PlainTextField(
        label=_("Short description"),
        rows=4,
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text=_("What the plan promises under this priority. Residents see this."),
    )
    position = forms.IntegerField(
        label=_("Place in the list"),
        min_value=0,
        max_value=1000,
        initial=0,
        help_text=_("Lower numbers are listed first."),
        error_messages={
            "invalid": _("Enter the place as a whole number, like 1"),
            "required": _("Enter the place as a whole number, like 1"),
            "min_value": _("The place must be 0 or more"),
            "max_value": _("The place must be 1000 or less"),
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class TagForm(GovukFormMixin, forms.Form):
    plan_priorities = forms.ModelMultipleChoiceField(
        label=_("Police and Crime Plan priorities this serves"),
        help_text=_("Select all that apply."),
        queryset=None,
        required=False,
        widget=GovukCheckboxes,
        template_name=CHECKBOXES_TEMPLATE,
        error_messages={
            "invalid_choice": _("Select priorities of the plan"),
            "invalid_pk_value": _("Select priorities of the plan"),
        },
    )

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_priorities"].queryset = choices
