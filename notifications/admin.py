"""The outbox in the admin: each email's state and last error, and failed ones sent again.
Read only: emails are written by the services that send them. The queries app registers a
subclass in this one's place, to find the emails about a query by its reference too."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.admin import ReadOnlyAdmin
from notifications.models import OutboxEmail
from notifications.services import outbox_email_send_again


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    list_display = [
        "subject_or_template",
        "recipients",
        "status",
        "attempts",
        "error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    actions = ["send_again"]

    @admin.display(description=_("Subject"), ordering="subject")
    def subject_or_template(self, email: OutboxEmail) -> str:
        # An email written to be rendered when sent has no subject until a worker claims it.
        return email.subject or gettext("Written when sent, from %(template)s") % {
            "template": email.template
        }

    @admin.display(description=_("To"))
    def recipients(self, email: OutboxEmail) -> str:
        return ", ".join(email.to)

    @admin.display(description=_("Last error"))
    def error(self, email: OutboxEmail) -> str:
        return Truncator(email.last_error).chars(120)

    @admin.action(description=_("Send again (failed emails only)"), permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        chosen = list(queryset.values_list("pk", flat=True))
        requeued = outbox_email_send_again(email_ids=chosen, by=request.user)
        if requeued:
            self.message_user(
                request,
                gettext("%(count)s failed email(s) will be sent again.") % {"count": requeued},
            )
        skipped = len(chosen) - requeued
        if skipped:
            self.message_user(
                request,
                gettext("%(count)s email(s) had not failed and were left as they were.")
                % {"count": skipped},
                level=messages.WARNING,
            )
