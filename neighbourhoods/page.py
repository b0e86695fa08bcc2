"""The public neighbourhood page, built from sections.

The neighbourhoods app draws the page: the neighbourhood's name, how to contact its team, where
to find it and the area. Each app above adds what it knows of the neighbourhood as a section,
registered in its AppConfig.ready (config.sections). The places on the page, top to bottom:

    10 officers    the named officer (officers.neighbourhood_page)
    12 queries     the button to contact the team (queries.neighbourhood_page)
    14 alerts      the link to sign up for alerts (alerts.neighbourhood_page)
    16 officers    the rest of the team
    18 dashboards  how the team keeps the Guarantee (dashboards.neighbourhood_page)
    20 engagement  local priorities and "You said, we did" (engagement.neighbourhood_page)
    27 patrols     the link to the hotspot patrols summary (patrols.neighbourhood_page)
    30 engagement  Have your say
    40 meetings    upcoming events and the calendar (meetings.neighbourhood_page)
    50 meetings    past meetings and what came of them

The page stays a fixed number of SQL queries, whatever the data: a section asks for what it
needs as annotations and prefetches on the one query that reads the neighbourhood, and finds
them on the row it is given.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from config.sections import Sections
from neighbourhoods.models import Neighbourhood


class PageSection:
    """One part of the neighbourhood page. An app subclasses it and registers an instance."""

    # Where the section goes on the page (see above): lower first.
    order: int = 0
    # Rendered with `neighbourhood`, the page's `non_emergency_number` and the section's context.
    template: str = ""
    # Rendered into the page's <head> (a link to a feed, say), with `neighbourhood`.
    head_template: str = ""

    def annotations(self, today: datetime.date) -> dict[str, Any]:
        """Annotations for the neighbourhood query, named so no other section's clash."""
        return {}

    def prefetches(self, today: datetime.date) -> list[Prefetch]:
        """Prefetches for the neighbourhood query, each with a `to_attr` of its own."""
        return []

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        """What the template shows, from the neighbourhood read with the above."""
        return {}

    def updated(self, neighbourhood: Neighbourhood) -> list[datetime.datetime]:
        """When what the section shows last changed, for the page's "last updated" date."""
        return []


sections: Sections[PageSection] = Sections()


def register_section(section: PageSection) -> None:
    """Add a section to every neighbourhood page (in AppConfig.ready)."""
    sections.register(section)


@dataclass
class SectionContent:
    """A section as the page renders it."""

    template: str
    head_template: str
    context: dict[str, Any]


@dataclass
class NeighbourhoodPage:
    neighbourhood: Neighbourhood
    sections: list[SectionContent]
    last_updated: datetime.datetime


def _query(today: datetime.date) -> tuple[dict[str, Any], list[Prefetch]]:
    """The sections' annotations and prefetches together; two sections asking for the same
    name would overwrite each other's, so that is refused."""
    annotations: dict[str, Any] = {}
    prefetches: list[Prefetch] = []
    for section in sections:
        asked = section.annotations(today)
        clash = set(asked) & set(annotations)
        prefetched = section.prefetches(today)
        clash |= {p.to_attr for p in prefetched} & {p.to_attr for p in prefetches} - {None}
        if clash:
            raise ValueError(f"{type(section).__name__} reuses {', '.join(sorted(clash))}")
        annotations.update(asked)
        prefetches += prefetched
    return annotations, prefetches


def neighbourhood_page(*, slug: str) -> NeighbourhoodPage:
    """What the public neighbourhood page shows: one query for the neighbourhood with what its
    sections annotate, and one per prefetch they ask for.

    Raises Neighbourhood.DoesNotExist for an unknown slug."""
    today = timezone.localdate()
    annotations, prefetches = _query(today)
    neighbourhood = (
        Neighbourhood.objects.select_related("force", "division")
        .annotate(**annotations)
        .prefetch_related(*prefetches)
        .get(slug=slug)
    )
    stamps = [neighbourhood.updated_at]
    contents = []
    for section in sections:
        context = section.context(neighbourhood, today)
        contents.append(SectionContent(section.template, section.head_template, context))
        stamps += section.updated(neighbourhood)
    return NeighbourhoodPage(
        neighbourhood=neighbourhood, sections=contents, last_updated=max(stamps)
    )
