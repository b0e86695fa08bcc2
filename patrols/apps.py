from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "patrols"
    verbose_name = _("Hotspot patrols")

    def ready(self) -> None:
        from neighbourhoods import page
        from officers import staff_home
        from patrols.neighbourhood_page import PatrolsSection
        from patrols.staff_home import PatrolsStaffSection

        page.register_section(PatrolsSection())
        staff_home.register_section(PatrolsStaffSection())
