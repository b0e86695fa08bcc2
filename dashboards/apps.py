from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards and reports"

    def ready(self) -> None:
        from dashboards.staff_home import FiguresSection, ForceSection
        from officers import staff_home

        staff_home.register_section(FiguresSection())
        staff_home.register_section(ForceSection())
