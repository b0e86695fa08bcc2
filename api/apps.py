from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Data API and imports")

    def ready(self) -> None:
        from api.performance_page import OpenDataSection
        from dashboards.performance_page import register_section

        register_section(OpenDataSection())
