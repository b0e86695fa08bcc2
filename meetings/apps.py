from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Beat meetings and events")

    def ready(self) -> None:
        from config import caching
        from meetings.neighbourhood_page import PastMeetingsSection, UpcomingEventsSection
        from meetings.staff_home import ListingsSection
        from neighbourhoods import page
        from officers import staff_home

        # Neighbourhood pages show upcoming events and past meetings' outcomes.
        caching.public_pages_show(
            self.get_model("Event"), self.get_model("Series"), self.get_model("Outcome")
        )
        page.register_section(UpcomingEventsSection())
        page.register_section(PastMeetingsSection())
        staff_home.register_section(ListingsSection())
