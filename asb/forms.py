"""The ASB action plan's staff forms and the report guide's question. They read what was
typed; the rules live in asb.services, whose messages show next to the field they concern."""

from django import forms
from django.utils.translation import gettext_lazy as _

from asb.models import Action, BehaviourKind, Section
from asb.permissions import PlanScope
from asb.services import (
    PARTNER_MAX_LENGTH,
    PROGRESS_MAX_LENGTH,
    SECTION_TITLE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ActionData,
)
from config.forms import (
    CHECKBOXES_TEMPLATE,
    RADIOS_TEMPLATE,
    GovukCheckboxes,
    GovukFormMixin,
    GovukRadios,
    PlainTextField,
    ServiceErrorsMixin,
    date_field,
    text_field,
)
from crimeplan.models import PlanPriority
from neighbourhoods.models import Division, Neighbourhood


class ActionForm(ServiceErrorsMixin, GovukFormMixin, forms.Form):
    section = forms.ModelChoiceField(
        label=_("Section of the plan"),
        queryset=Section.objects.all(),
        empty_label=None,
        error_messages={
            "required": _("Select the section"),
            "invalid_choice": _("Select the section"),
        },
    )
    division = forms.ModelChoiceField(
        label=_("Whose plan"),
        queryset=Division.objects.none(),
        required=False,
        empty_label=_("The force’s plan"),
        error_messages={"invalid_choice": _("Select your division’s plan")},
    )
    title = text_field(
        _("Action"),
        TITLE_MAX_LENGTH,
        help_text=_("What will be done, as residents would read it."),
        error_messages={"required": _("Enter what the action is")},
    )
    owner_kind = forms.ChoiceField(
        label=_("Who owns it"),
        choices=Action.OwnerKind.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": _("Select who owns the action"),
            "invalid_choice": _("Select who owns the action"),
        },
    )
    owner_division = forms.ModelChoiceField(
        label=_("Division (if a division owns it)"),
        queryset=Division.objects.order_by("name"),
        required=False,
        empty_label="",
    )
    owner_neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood team (if a neighbourhood team owns it)"),
        queryset=Neighbourhood.objects.order_by("name"),
        required=False,
        empty_label="",
    )
    owner_partner = text_field(
        _("Partner organisation (if a partner owns it)"),
        PARTNER_MAX_LENGTH,
        required=False,
        help_text=_("For example, Derby City Council or a housing association."),
    )
    due_on = date_field(_("Due date"), missing=_("Enter the due date"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Action.Status.choices,
        widget=GovukRadios,
        template_name=RADIOS_TEMPLATE,
        error_messages={
            "required": _("Select the status"),
            "invalid_choice": _("Select the status"),
        },
    )
    progress = PlainTextField(
        label=_("Progress notes"),
        rows=4,
        max_length=PROGRESS_MAX_LENGTH,
        required=False,
        help_text=_("What has been done so far. Residents see this."),
    )
    plan_priorities = forms.ModelMultipleChoiceField(
        label=_("Police and Crime Plan priorities it serves"),
        queryset=PlanPriority.objects.none(),
        required=False,
        widget=GovukCheckboxes,
        template_name=CHECKBOXES_TEMPLATE,
        help_text=_("Select all that apply."),
        error_messages={
            "invalid_choice": _("Select priorities of the plan"),
            "invalid_pk_value": _("Select priorities of the plan"),
        },
    )

    def __init__(self, *args, scope: PlanScope, plan_priorities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        division = self.fields["division"]
        if scope.whole_plan:
            division.queryset = Division.objects.order_by("name")
        else:
            division.queryset = Division.objects.filter(pk__in=scope.division_ids).order_by("name")
            division.required = True
            division.empty_label = None
        self.fields["plan_priorities"].queryset = plan_priorities

    def action_data(self) -> ActionData:
        return ActionData(**self.cleaned_data)


class SectionForm(ServiceErrorsMixin, GovukFormMixin, forms.Form):
    title = text_field(
        _("Section title"),
        SECTION_TITLE_MAX_LENGTH,
        help_text=_("For example, “Parks and open spaces”."),
        error_messages={"required": _("Enter a title for the section")},
    )


class ReportQuestionForm(forms.Form):
    kind = forms.ModelChoiceField(
        queryset=BehaviourKind.objects.all(),
        to_field_name="slug",
        widget=GovukRadios,
        error_messages={
            "required": _("Select the kind of behaviour you want to report"),
            "invalid_choice": _("Select the kind of behaviour you want to report"),
        },
    )


class DelegateForm(ServiceErrorsMixin, GovukFormMixin, forms.Form):
    lead = forms.ModelChoiceField(
        label=_("For which lead role"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Select the lead role"),
            "invalid_choice": _("Select the lead role"),
        },
    )
    username = text_field(
        _("Their username"),
        150,
        help_text=_("The username they sign in with."),
        error_messages={"required": _("Enter the username of a member of staff")},
    )

    def __init__(self, *args, leads, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
