"""Parts of the public performance pages that apps above dashboards add: the api app adds the
links to the same figures as open data (api.apps). Each registers a section in its
AppConfig.ready (config.sections); the pages render them in order with `area`: the page's
area ("force" or a division's slug) and `how_we_count`: True on the page that explains."""

from config.sections import Sections


class PerformanceSection:
    order: int = 0
    template: str = ""


sections: Sections[PerformanceSection] = Sections()


def register_section(section: PerformanceSection) -> None:
    sections.register(section)


def templates() -> list[str]:
    return [section.template for section in sections]
