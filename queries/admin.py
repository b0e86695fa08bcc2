"""Queries in the admin, read-only: every change to a query goes through its services. The
outbox also finds the emails about a query by its reference."""

from django.contrib import admin

from audit.admin import AuditedAdminMixin
from config.admin import ReadOnlyAdmin
from notifications.admin import OutboxEmailAdmin
from notifications.models import OutboxEmail
from queries.models import EscalationStep, Query, QueryEvent


@admin.register(Query)
class QueryAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "reference",
        "neighbourhood",
        "topic",
        "status",
        "assigned_officer",
        "submitted_at",
        "due_at",
        "first_response_met_target",
    ]
    list_filter = ["status", "topic", "first_response_met_target"]
    search_fields = ["reference"]
    list_select_related = ["neighbourhood", "assigned_officer"]
    date_hierarchy = "submitted_at"

    def audit_reference(self, obj: Query) -> str:
        return obj.reference


@admin.register(QueryEvent)
class QueryEventAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["query", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["query__reference"]
    list_select_related = ["query", "author"]
    audit_subject = "query event"

    def audit_reference(self, obj: QueryEvent) -> str:
        return obj.query.reference


@admin.register(EscalationStep)
class EscalationStepAdmin(ReadOnlyAdmin):
    list_display = ["query", "clock", "step", "taken_at"]
    list_filter = ["step"]
    search_fields = ["query__reference"]
    list_select_related = ["query"]


class QueryOutboxEmailAdmin(OutboxEmailAdmin):
    """The outbox, searchable by the reference of the query an email is about too."""

    search_fields = [*OutboxEmailAdmin.search_fields, "query_link__query__reference"]
    list_select_related = ["query_link__query"]


admin.site.unregister(OutboxEmail)
admin.site.register(OutboxEmail, QueryOutboxEmailAdmin)
