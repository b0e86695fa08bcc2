"""Events, series, registrations and outcomes in the admin, to read: every change goes through
meetings.services, so that calendars (SEQUENCE) and the people registered hear of it. The
history of each event, series and outcome shows who changed what."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import AuditedAdminMixin
from meetings.models import Event, Outcome, Registration, Series


class ReadOnlyMixin:
    """Lists and detail pages to read; nothing to add, change or delete."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class OutcomeInline(ReadOnlyMixin, admin.StackedInline):
    model = Outcome
    fields = ["attendance", "summary", "issues_raised", "recorded_by", "updated_at"]
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "neighbourhood", "event_type", "starts_at", "status", "sequence"]
    list_filter = ["event_type", "status"]
    search_fields = ["title", "neighbourhood__name"]
    list_select_related = ["neighbourhood"]
    date_hierarchy = "starts_at"
    inlines = [OutcomeInline]
    history_list_display = ["starts_at", "status", "sequence"]


@admin.register(Series)
class SeriesAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "neighbourhood", "rrule", "first_starts_at", "ended_at"]
    list_filter = ["event_type"]
    search_fields = ["title", "neighbourhood__name"]
    list_select_related = ["neighbourhood"]


@admin.register(Registration)
class RegistrationAdmin(AuditedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "event", "created_at", "cancelled_at", "attended"]
    list_filter = ["attended"]
    search_fields = ["email", "event__title"]
    list_select_related = ["event"]
    exclude = ["cancel_token_hash"]
    # The list shows residents' names.
    audit_changelist = True


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["event", "attendance", "recorded_by", "updated_at"]
    search_fields = ["event__title"]
    list_select_related = ["event", "recorded_by"]
