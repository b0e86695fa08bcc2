from django import forms
from django.conf import settings

from config.forms import GovukForm
from neighbourhoods.search import Problem, SearchResult

PROBLEM_MESSAGES = {
    Problem.EMPTY: "Enter a postcode, or the name of your town or neighbourhood",
    Problem.BAD_POSTCODE: "Enter a full postcode, like DE1 1AA",
    Problem.UNKNOWN_POSTCODE: (
        "We could not find the postcode {query}. Check it, or search by the name of your "
        "town or neighbourhood"
    ),
    Problem.POSTCODE_OUTSIDE: "{query} is not in an area {force} polices",
    Problem.NO_MATCH: "No neighbourhood matches “{query}”. Try your postcode or a nearby town",
    Problem.BAD_LOCATION: "Your location could not be read. Search by postcode instead",
    Problem.LOCATION_OUTSIDE: "Your location is not in an area {force} polices",
}


class NeighbourhoodSearchForm(GovukForm):
    q = forms.CharField(
        label="Postcode, town or neighbourhood",
        help_text="For example, DE1 1AA or Chesterfield",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )

    def show_problem(self, result: SearchResult) -> None:
        message = PROBLEM_MESSAGES[result.problem].format(
            query=result.query, force=settings.FORCE_NAME
        )
        self.add_error("q", message)
