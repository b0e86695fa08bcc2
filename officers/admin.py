from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from officers.models import Assignment, Officer


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["neighbourhood"]


@admin.register(Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["display_name", "rank", "collar_number", "user"]
    list_filter = ["rank"]
    search_fields = ["display_name", "collar_number"]
    inlines = [AssignmentInline]
    raw_id_fields = ["user"]
    history_list_display = ["bio", "email", "phone"]
    # Photos are uploaded only through the profile pages, which re-encode them
    # (officers.photos); the admin shows the file but never stores uploaded bytes.
    readonly_fields = ["photo"]
