from django.contrib import admin

from neighbourhoods.models import Division, Force, Neighbourhood, Postcode, Priority


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "telephone"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "force"]
    list_filter = ["force"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
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


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["issue", "neighbourhood", "status", "issue_date"]
    list_filter = ["status"]
    list_select_related = ["neighbourhood"]
