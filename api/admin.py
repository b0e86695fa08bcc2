"""Open311 clients in the admin: issue a key (shown once), change a client's limit, revoke."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from api.models import Open311Client
from api.open311.services import open311_client_issue, open311_clients_revoke


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "requests_per_hour", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    readonly_fields = ["key_prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Revoke instead: the queries a client sent keep its name.
        return False

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return ["name", "requests_per_hour"]
        return ["name", "requests_per_hour", "key_prefix", "created_at", "revoked_at"]

    def save_model(self, request: HttpRequest, obj: Open311Client, form, change: bool) -> None:
        if change:
            obj.save(update_fields=["name", "requests_per_hour"])
            return
        client, key = open311_client_issue(name=obj.name, requests_per_hour=obj.requests_per_hour)
        obj.pk, obj.key_hash, obj.key_prefix = client.pk, client.key_hash, client.key_prefix
        obj.created_at = client.created_at
        self.message_user(
            request,
            gettext(
                "The api_key for %(name)s is %(key)s . Copy it now and send it to them "
                "securely: it is stored only as a hash and cannot be shown again."
            )
            % {"name": client.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected clients' keys"))
    def revoke(self, request: HttpRequest, queryset) -> None:
        count = open311_clients_revoke(clients=queryset)
        self.message_user(
            request,
            ngettext("Revoked %(count)s key.", "Revoked %(count)s keys.", count) % {"count": count},
        )
