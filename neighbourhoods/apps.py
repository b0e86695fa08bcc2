from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = "Neighbourhoods"

    def ready(self) -> None:
        from neighbourhoods import signals

        signals.connect()
