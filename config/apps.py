from django.contrib.admin.apps import AdminConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate

from config.admin_labels import admin_labels_translate


def _create_cache_tables(using: str, **kwargs) -> None:
    """The database cache that rate limits fall back on (settings.RATE_LIMIT_FALLBACK_CACHE)
    needs its table: made by every `migrate`, so no deployment step can forget it."""
    call_command("createcachetable", database=using, verbosity=0)


class PortalAdminConfig(AdminConfig):
    default_site = "config.admin.PortalAdminSite"

    def ready(self) -> None:
        super().ready()
        admin_labels_translate()
        post_migrate.connect(_create_cache_tables, sender=self)
