from django.apps import AppConfig


class QueriesConfig(AppConfig):
    name = "queries"
    verbose_name = "Public queries"

    def ready(self) -> None:
        from officers import staff_home
        from queries.staff_home import InboxSection

        staff_home.register_section(InboxSection())
