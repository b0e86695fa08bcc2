from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_administrator_permissions(sender, using="default", **kwargs) -> None:
    """The Administrator group may do everything in the admin: keep it holding every
    permission, including those of models added later (permissions exist only after migrate)."""
    from django.contrib.auth.models import Group, Permission

    from config.roles import Role

    group, _ = Group.objects.using(using).get_or_create(name=Role.ADMINISTRATOR.value)
    group.permissions.set(Permission.objects.using(using).all())


class OfficersConfig(AppConfig):
    name = "officers"
    verbose_name = _("Officers and staff")

    def ready(self) -> None:
        from config import caching
        from neighbourhoods import page
        from officers import oidc, receivers, staff_home  # noqa: F401  (audit; checks)
        from officers.neighbourhood_page import NamedOfficerSection, TeamSection

        post_migrate.connect(grant_administrator_permissions, dispatch_uid="administrator-perms")
        # Neighbourhood pages show the team, and officers' profiles.
        caching.public_pages_show(self.get_model("Officer"), self.get_model("Assignment"))
        page.register_section(NamedOfficerSection())
        page.register_section(TeamSection())
        staff_home.register_own_sections()
