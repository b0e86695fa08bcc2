from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = _("Local priorities and Have your say")

    def ready(self) -> None:
        from config import caching
        from engagement.neighbourhood_page import HaveYourSaySection, PrioritiesSection
        from engagement.staff_home import EngagementSection
        from neighbourhoods import page
        from officers import staff_home

        # Neighbourhood pages show current priorities and "You said, we did".
        caching.public_pages_show(self.get_model("Priority"))
        page.register_section(PrioritiesSection())
        page.register_section(HaveYourSaySection())
        staff_home.register_section(EngagementSection())
