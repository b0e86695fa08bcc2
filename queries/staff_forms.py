"""Forms of the staff inbox and a query's page. Each action on a query has its own form."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from config.forms import RADIOS_TEMPLATE, GovukFormMixin, GovukRadios, PlainTextField, too_long
from officers.models import Officer
from queries.selectors.inbox import InboxFilter, InboxWhose
from queries.services.staff import TEXT_MAX_LENGTH


class InboxFilterForm(GovukFormMixin, forms.Form):
    """The inbox's filters, from the query string. `whose` is offered only to those it means
    something for (`offered`, from selectors.inbox.whose_choices): someone who can hold no
    queries is not asked whose they are."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(choice.value, choice.label) for choice in InboxFilter],
        error_messages={"invalid_choice": _("Choose one of the filters listed")},
    )
    whose = forms.ChoiceField(
        label=_("Whose queries"),
        required=False,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "invalid_choice": _("Choose whose queries to show from the options listed")
        },
    )

    def __init__(self, data, *, offered: list[InboxWhose]) -> None:
        # Links made before `whose` existed say `mine=on` for the queries assigned to you.
        if data.get("mine") and not data.get("whose"):
            data = data.copy()
            data["whose"] = InboxWhose.ASSIGNED.value
        super().__init__(data)
        if offered:
            self.fields["whose"].choices = [(choice.value, choice.label) for choice in offered]
        else:
            del self.fields["whose"]

    # A value that is not offered is reported in the form and that filter is left out; the
    # other still applies.
    def chosen(self) -> InboxFilter:
        self.is_valid()
        return InboxFilter(self.cleaned_data.get("show") or "")

    def chosen_whose(self) -> InboxWhose:
        self.is_valid()
        return InboxWhose(self.cleaned_data.get("whose") or "")


def _text(label: str, help_text: str, required: str, rows: int = 5) -> PlainTextField:
    return PlainTextField(
        label=label,
        help_text=help_text,
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            "required": required,
            "max_length": too_long(TEXT_MAX_LENGTH),
        },
        rows=rows,
    )


class ReplyForm(GovukFormMixin, forms.Form):
    prefix = "reply"
    message = _text(
        _("Your reply to the resident"),
        _("Plain text. The resident reads exactly what you write here."),
        _("Enter your reply to the resident"),
        rows=8,
    )

    def __init__(self, *args, phone_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if phone_only:
            self.fields["message"].label = _("What you told the resident")
            self.fields["message"].help_text = _(
                "The resident gave no email address: phone them, then record what you said."
            )


class NoteForm(GovukFormMixin, forms.Form):
    prefix = "note"
    body = _text(
        _("Internal note"),
        _("Only staff see notes. A note does not stop the clock."),
        _("Enter your note"),
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj.get_rank_display()} {obj.display_name}"


class ReassignForm(GovukFormMixin, forms.Form):
    prefix = "reassign"
    officer = OfficerChoiceField(
        label=_("Officer"),
        queryset=Officer.objects.none(),
        empty_label=_("Choose an officer"),
        error_messages={
            "required": _("Choose the officer to give this query to"),
            "invalid_choice": _("Choose an officer of this neighbourhood"),
        },
    )
    reason = _text(
        _("Reason"),
        _("Why it moves. The new officer sees this in their email and on the timeline."),
        _("Enter the reason for reassigning the query"),
        rows=3,
    )

    def __init__(self, *args, candidates: QuerySet[Officer], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = candidates


class CloseForm(GovukFormMixin, forms.Form):
    prefix = "close"
    outcome = _text(
        _("Outcome"),
        _("What was done, for the record. The resident does not see this."),
        _("Enter the outcome of the query"),
        rows=3,
    )
