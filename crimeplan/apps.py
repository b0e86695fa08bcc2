from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrimeplanConfig(AppConfig):
    name = "crimeplan"
    verbose_name = _("Police and Crime Plan")

    def ready(self) -> None:
        from crimeplan.staff_home import CrimePlanSection
        from engagement.priority_links import PriorityLink, register_priority_link
        from officers import staff_home

        staff_home.register_section(CrimePlanSection())
        # A priority's staff page leads to the page that tags it with the plan.
        register_priority_link(
            PriorityLink("Police and Crime Plan priorities it serves", "crimeplan_staff:tag")
        )
