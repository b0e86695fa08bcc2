from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
    """The admin builds the fields; this cleans the description's HTML before it is stored."""

    def clean_description(self) -> str:
        return sanitised_html(self.cleaned_data["description"])


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(SimpleHistoryAdmin):
    form = NeighbourhoodAdminForm
    list_display = ["name", "code", "division", "updated_at"]
    list_filter = ["division"]
    search_fields = ["name", "code"]
    list_select_related = ["division"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "neighbourhood"]
    search_fields = ["postcode"]
    list_select_related = ["neighbourhood"]
    raw_id_fields = ["neighbourhood"]
