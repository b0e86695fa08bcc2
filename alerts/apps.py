from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Neighbourhood alerts"

    def ready(self) -> None:
        from alerts import receivers
        from alerts.neighbourhood_page import SignUpSection
        from neighbourhoods import page

        receivers.connect()
        page.register_section(SignUpSection())
