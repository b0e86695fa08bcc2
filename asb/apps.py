from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsbConfig(AppConfig):
    name = "asb"
    verbose_name = _("Anti-social behaviour")

    def ready(self) -> None:
        from asb.plan_page import AsbActionsSection
        from asb.staff_home import AsbSection
        from crimeplan import plan_page
        from officers import staff_home

        plan_page.register_section(AsbActionsSection())
        staff_home.register_section(AsbSection())
