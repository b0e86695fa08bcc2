"""The public neighbourhood page, built from sections.

The neighbourhoods app draws the page: the neighbourhood's name, how to contact its team, where
to find it and the area. Each app above adds what it knows of the neighbourhood as a section,
registered in its AppConfig.ready: officers the named officer and the team, engagement the local
priorities and Have your say, meetings the upcoming events and what past meetings achieved. So
this app reads no other app, and an app added later adds its section the same way.

The page stays a fixed number of SQL queries, whatever the data: a section asks for what it
needs as annotations and prefetches on the one query that reads the neighbourhood, and finds
them on the row it is given.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from neighbourhoods.models import Neighbourhood


class PageSection:
    """One part of the neighbourhood page. An app subclasses it and registers an instance."""

    # Where the section goes on the page: lower first.
    order: int = 0
    # Rendered with `neighbourhood`, the page's `non_emergency_number` and the section's context.
    template: str = ""

    def annotations(self, today: datetime.date) -> dict[str, Any]:
        """Annotations for the neighbourhood query."""
        return {}

    def prefetches(self, today: datetime.date) -> list[Prefetch | str]:
        """Prefetches for the neighbourhood query."""
        return []

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        """What the template shows, from the neighbourhood read with the above."""
        return {}

    def updated(self, neighbourhood: Neighbourhood) -> list[datetime.datetime]:
        """When what the section shows last changed, for the page's "last updated" date."""
        return []


_sections: list[PageSection] = []


def register_section(section: PageSection) -> None:
    """Add a section to every neighbourhood page (in AppConfig.ready); once per class."""
    if not any(type(known) is type(section) for known in _sections):
        _sections.append(section)
        _sections.sort(key=lambda known: known.order)


@dataclass
class Section:
    template: str
    context: dict[str, Any]


@dataclass
class NeighbourhoodPage:
    neighbourhood: Neighbourhood
    sections: list[Section]
    last_updated: datetime.datetime


def neighbourhood_page(*, slug: str) -> NeighbourhoodPage:
    """What the public neighbourhood page shows: one query for the neighbourhood with what its
    sections annotate, and one per prefetch they ask for.

    Raises Neighbourhood.DoesNotExist for an unknown slug."""
    today = timezone.localdate()
    annotations: dict[str, Any] = {}
    prefetches: list[Prefetch | str] = []
    for section in _sections:
        annotations.update(section.annotations(today))
        prefetches += section.prefetches(today)
    neighbourhood = (
        Neighbourhood.objects.select_related("force", "division")
        .annotate(**annotations)
        .prefetch_related(*prefetches)
        .get(slug=slug)
    )
    stamps = [neighbourhood.updated_at]
    sections = []
    for section in _sections:
        sections.append(Section(section.template, section.context(neighbourhood, today)))
        stamps += section.updated(neighbourhood)
    return NeighbourhoodPage(
        neighbourhood=neighbourhood, sections=sections, last_updated=max(stamps)
    )
