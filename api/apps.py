from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Data API and imports"

    def ready(self) -> None:
        from api.performance_page import OpenDataSection
        from dashboards.performance_page import register_section

        register_section(OpenDataSection())
