from django.apps import AppConfig


class CrimeplanConfig(AppConfig):
    name = "crimeplan"
    verbose_name = "Police and Crime Plan"

    def ready(self) -> None:
        from crimeplan.staff_home import CrimePlanSection
        from officers import staff_home

        staff_home.register_section(CrimePlanSection())
