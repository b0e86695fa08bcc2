from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from officers.models import Abstraction, Assignment, Officer


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


@admin.register(Abstraction)
class AbstractionAdmin(SimpleHistoryAdmin):
    """Corrections only: entries are never deleted, so the history stays whole."""

    list_display = ["officer", "reason", "starts_at", "ends_at", "logged_by"]
    list_filter = ["reason"]
    search_fields = ["officer__display_name", "officer__collar_number"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["officer", "logged_by"]
    list_select_related = ["officer", "logged_by"]
    history_list_display = ["reason", "starts_at", "ends_at", "note"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
