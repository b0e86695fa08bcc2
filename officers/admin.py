from django.contrib import admin

from officers.models import Assignment, Officer


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["neighbourhood"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "rank", "collar_number", "user"]
    list_filter = ["rank"]
    search_fields = ["display_name", "collar_number"]
    inlines = [AssignmentInline]
    raw_id_fields = ["user"]
