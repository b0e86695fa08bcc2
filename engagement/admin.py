"""Local priorities and Have your say in the admin, for administrators' corrections."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import AuditedAdminMixin
from config import caching
from engagement.models import Priority, PrioritySupport, Survey, SurveyOption, SurveyResponse


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    """Officers keep priorities in the staff area; the admin is for corrections, with the
    history of every change."""

    list_display = ["issue", "neighbourhood", "status", "issue_date", "review_date", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["neighbourhood"]
    search_fields = ["issue", "neighbourhood__name"]
    raw_id_fields = ["neighbourhood"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


# Have your say. Officers run surveys and moderate comments in /staff/surveys/; the admin is for
# corrections. Answers and supports are read-only here: they count only as residents confirmed
# them, and hold nothing but a keyed hash of the address.


class SurveyOptionInline(admin.TabularInline):
    model = SurveyOption
    extra = 0
    fields = ["label", "position"]


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ["question", "neighbourhood", "opens_on", "closes_on"]
    list_select_related = ["neighbourhood"]
    search_fields = ["question", "neighbourhood__name"]
    raw_id_fields = ["neighbourhood"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [SurveyOptionInline]

    # The neighbourhood page links to open surveys and closed results.
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        caching.bump_public_content_version()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        caching.bump_public_content_version()


@admin.register(SurveyResponse)
class SurveyResponseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["survey", "option", "moderation", "confirmed_at", "created_at"]
    list_filter = ["moderation"]
    list_select_related = ["survey__neighbourhood", "option"]
    fields = [
        "survey",
        "option",
        "free_text",
        "moderation",
        "moderated_by",
        "moderated_at",
        "confirmed_at",
        "created_at",
    ]
    readonly_fields = fields
    audit_subject = "survey answer"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PrioritySupport)
class PrioritySupportAdmin(admin.ModelAdmin):
    list_display = ["priority", "confirmed_at", "created_at"]
    list_select_related = ["priority"]
    fields = ["priority", "confirmed_at", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
