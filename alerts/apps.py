from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Neighbourhood alerts")

    def ready(self) -> None:
        from alerts import receivers
        from alerts.neighbourhood_page import SignUpSection
        from neighbourhoods import page

        receivers.connect()
        page.register_section(SignUpSection())
