"""Queries in the admin, read-only: every change to a query goes through its services. The
outbox shows each email's state and last error, and sends failed ones again."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from queries.models import EscalationStep, OutboxEmail, Query, QueryEvent
from queries.services.outbox import outbox_email_send_again


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages to read; nothing to add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Query)
class QueryAdmin(ReadOnlyAdmin):
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


@admin.register(QueryEvent)
class QueryEventAdmin(ReadOnlyAdmin):
    list_display = ["query", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["query__reference"]
    list_select_related = ["query", "author"]


@admin.register(EscalationStep)
class EscalationStepAdmin(ReadOnlyAdmin):
    list_display = ["query", "clock", "step", "taken_at"]
    list_filter = ["step"]
    search_fields = ["query__reference"]
    list_select_related = ["query"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    list_display = [
        "subject",
        "recipients",
        "status",
        "attempts",
        "error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status"]
    search_fields = ["subject", "query__reference"]
    list_select_related = ["query"]
    actions = ["send_again"]

    @admin.display(description="To")
    def recipients(self, email: OutboxEmail) -> str:
        return ", ".join(email.to)

    @admin.display(description="Last error")
    def error(self, email: OutboxEmail) -> str:
        return Truncator(email.last_error).chars(120)

    @admin.action(description="Send again (failed emails only)", permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        chosen = list(queryset.values_list("pk", flat=True))
        requeued = outbox_email_send_again(email_ids=chosen, by=request.user)
        if requeued:
            self.message_user(request, f"{requeued} failed email(s) will be sent again.")
        skipped = len(chosen) - requeued
        if skipped:
            self.message_user(
                request,
                f"{skipped} email(s) had not failed and were left as they were.",
                level=messages.WARNING,
            )
