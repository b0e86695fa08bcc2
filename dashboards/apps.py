from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards and reports")

    def ready(self) -> None:
        from dashboards.neighbourhood_page import ScorecardSection
        from dashboards.staff_home import FiguresSection, ForceSection
        from neighbourhoods.page import register_section
        from officers import staff_home

        register_section(ScorecardSection())

        staff_home.register_section(FiguresSection())
        staff_home.register_section(ForceSection())
