"""Links the apps above add to a priority's staff page (registered in their AppConfig.ready),
so the page leads to their pages about the priority without engagement naming them."""

from dataclasses import dataclass

from django.urls import reverse

from engagement.models import Priority


@dataclass(frozen=True)
class PriorityLink:
    label: str
    # A URL name taking the priority's `pk`.
    url_name: str


_links: list[PriorityLink] = []


def register_priority_link(link: PriorityLink) -> None:
    if link not in _links:
        _links.append(link)


def priority_links(priority: Priority) -> list[tuple[str, str]]:
    """(label, address) of each registered link, for this priority."""
    return [(link.label, reverse(link.url_name, kwargs={"pk": priority.pk})) for link in _links]
