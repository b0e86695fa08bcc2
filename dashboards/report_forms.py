"""The quarterly report's forms: which quarter to draft, and the commentary."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import GovukForm, GovukRadios, PlainTextField, ServiceErrorsMixin
from dashboards.quarters import Quarter, last_finished, parse_quarter
from dashboards.services import COMMENTARY_MAX, NOTE_MAX

# The finished quarters offered for a new draft.
OFFERED_QUARTERS = 8


class DraftForm(GovukForm):
    quarter = forms.ChoiceField(
        label=_("Quarter"),
        widget=GovukRadios,
        error_messages={
            "required": _("Choose a quarter"),
            "invalid_choice": _("Choose a quarter from the list"),
        },
    )

    def __init__(self, *args, today: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [
            (quarter.slug, quarter.label) for quarter in last_finished(today, OFFERED_QUARTERS)
        ]

    def clean_quarter(self) -> Quarter:
        return parse_quarter(self.cleaned_data["quarter"])


class CommentaryForm(ServiceErrorsMixin, GovukForm):
    commentary = PlainTextField(
        label=_("Commentary"),
        help_text=_(
            "What the figures show and what the force is doing about them. Leave a blank "
            "line between paragraphs."
        ),
        rows=12,
        max_length=COMMENTARY_MAX,
        required=False,
    )
    correction_note = PlainTextField(
        label=_("What this version corrects"),
        help_text=_("Shown with the report, for example: the July figures counted a test query."),
        rows=3,
        max_length=NOTE_MAX,
        required=False,
    )

    def __init__(self, *args, correction: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not correction:
            del self.fields["correction_note"]
        else:
            self.fields["correction_note"].required = True
            self.fields["correction_note"].error_messages["required"] = _(
                "Say what this version corrects"
            )
