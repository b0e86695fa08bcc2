from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueriesConfig(AppConfig):
    name = "queries"
    verbose_name = _("Public queries")

    def ready(self) -> None:
        from neighbourhoods import page
        from officers import staff_home
        from queries import checks  # noqa: F401  (registers the urgency rules check)
        from queries.neighbourhood_page import ContactSection
        from queries.staff_home import InboxSection

        page.register_section(ContactSection())
        staff_home.register_section(InboxSection())
