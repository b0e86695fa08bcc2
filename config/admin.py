from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.roles import is_administrator


class PortalAdminSite(admin.AdminSite):
    """Django admin, for administrators only: officers, supervisors and OPCC staff use /staff/."""

    site_header = _("Neighbourhood Portal administration")
    site_title = _("Neighbourhood Portal admin")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        # Asked again by model admins that only administrators may see (the audit): once per
        # request.
        if not hasattr(request, "_portal_admin_allowed"):
            user = request.user
            request._portal_admin_allowed = (
                user.is_active
                and user.is_staff
                and is_administrator(user)
                # A password alone is not enough (officers.middleware sets it).
                and not getattr(request, "second_factor_missing", False)
            )
        return request._portal_admin_allowed


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages to read; nothing to add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
