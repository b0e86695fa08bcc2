from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from officers.identities import oidc_identity_approve
from officers.models import Abstraction, Assignment, Officer, OidcIdentity


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


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Accounts made by signing in through the force's identity provider. Approving one lets it
    in, with the roles its groups give. An existing account is linked to its identity by
    adding one here with the provider's issuer and subject (never matched by email)."""

    list_display = ["user", "subject", "approved_at", "approved_by", "last_sign_in_at"]
    list_filter = [("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email", "subject"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "approved_by"]
    readonly_fields = ["groups", "approved_at", "approved_by", "created_at", "last_sign_in_at"]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected accounts for the staff area"))
    def approve(self, request, queryset) -> None:
        identities = list(queryset.filter(approved_at__isnull=True))
        for identity in identities:
            oidc_identity_approve(identity=identity, by=request.user)
        messages.success(
            request,
            gettext("Approved %(count)s account(s).") % {"count": len(identities)},
        )
