from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    name = "patrols"
    verbose_name = "Hotspot patrols"

    def ready(self) -> None:
        from neighbourhoods import page
        from officers import staff_home
        from patrols.neighbourhood_page import PatrolsSection
        from patrols.staff_home import PatrolsStaffSection

        page.register_section(PatrolsSection())
        staff_home.register_section(PatrolsStaffSection())
