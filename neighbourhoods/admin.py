from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.bilingual import welsh_field, welsh_on
from neighbourhoods.models import Division, Force, Neighbourhood, Postcode
from neighbourhoods.sanitise import sanitised_html


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "telephone"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "force"]
    list_filter = ["force"]


class NeighbourhoodAdminForm(forms.ModelForm):
    """The admin builds the fields; this cleans the description's HTML before it is stored,
    and marks the Welsh fields' language."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in WELSH_TWINS:
            if welsh_field(name) in self.fields:
                self.fields[welsh_field(name)].widget.attrs["lang"] = "cy"

    def clean_description(self) -> str:
        return sanitised_html(self.cleaned_data["description"])

    def clean_description_cy(self) -> str:
        return sanitised_html(self.cleaned_data["description_cy"])


# The text with a Welsh twin (config.bilingual): beside it where the force has Welsh switched
# on, and not in the form at all where it has not.
WELSH_TWINS = ("name", "description")


def _with_welsh_twins(fields: list) -> list:
    welsh = {welsh_field(name) for name in WELSH_TWINS}
    shown = [name for name in fields if name not in welsh]
    if not welsh_on():
        return shown
    return [(name, welsh_field(name)) if name in WELSH_TWINS else name for name in shown]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(SimpleHistoryAdmin):
    form = NeighbourhoodAdminForm
    list_display = ["name", "code", "division", "updated_at"]
    list_filter = ["division"]
    search_fields = ["name", "name_cy", "code"]
    list_select_related = ["division"]

    def get_fields(self, request, obj=None):
        return _with_welsh_twins(list(super().get_fields(request, obj)))


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "neighbourhood"]
    search_fields = ["postcode"]
    list_select_related = ["neighbourhood"]
    raw_id_fields = ["neighbourhood"]
