from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from config.bilingual import setting_in_language
from config.forms import GovukForm
from neighbourhoods.models import Neighbourhood
from neighbourhoods.search import Problem, SearchResult

PROBLEM_MESSAGES = {
    Problem.EMPTY: _("Enter a postcode, or the name of your town or neighbourhood"),
    Problem.BAD_POSTCODE: _("Enter a full postcode, like DE1 1AA"),
    # The portal holds only its own force's postcodes: one not among them is either elsewhere
    # or mistyped (or too new to be in the directory), and the message says both.
    Problem.UNKNOWN_POSTCODE: _(
        "We could not find {query} in the area {force} polices. Check the postcode, or search "
        "by the name of your town or neighbourhood"
    ),
    Problem.POSTCODE_OUTSIDE: _("{query} is not in an area {force} polices"),
    Problem.NO_MATCH: _("No neighbourhood matches “{query}”. Try your postcode or a nearby town"),
    Problem.BAD_LOCATION: _("Your location could not be read. Search by postcode instead"),
    Problem.LOCATION_OUTSIDE: _("Your location is not in an area {force} polices"),
}


class NeighbourhoodSearchForm(GovukForm):
    q = forms.CharField(
        label=_("Postcode, town or neighbourhood"),
        help_text=_("For example, DE1 1AA or Chesterfield"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )

    def show_problem(self, result: SearchResult) -> None:
        message = PROBLEM_MESSAGES[result.problem].format(
            query=result.query, force=setting_in_language("FORCE_NAME")
        )
        self.add_error("q", message)


class NeighbourhoodField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Neighbourhood) -> str:
        return obj.name


class ManagedNeighbourhoodForm(forms.Form):
    """A choice of the neighbourhoods the officer manages (`neighbourhoods`), chosen for them
    when there is only one. Without `neighbourhoods` (editing) the field is left out."""

    neighbourhood = NeighbourhoodField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        empty_label=_("Choose a neighbourhood"),
        error_messages={
            "required": _("Choose the neighbourhood"),
            "invalid_choice": _("Choose one of the neighbourhoods you look after"),
        },
    )

    def __init__(
        self, *args, neighbourhoods: QuerySet[Neighbourhood] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if neighbourhoods is None:
            del self.fields["neighbourhood"]
            return
        field = self.fields["neighbourhood"]
        field.queryset = neighbourhoods.order_by("name")
        if not self.is_bound and not self.initial.get("neighbourhood"):
            only = list(field.queryset[:2])
            if len(only) == 1:
                self.initial["neighbourhood"] = only[0].pk
