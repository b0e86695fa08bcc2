"""The link to the neighbourhood's hotspot patrols on its page (a neighbourhoods.page section)."""

from neighbourhoods.page import PageSection


class PatrolsSection(PageSection):
    order = 27
    template = "patrols/_neighbourhood_patrols.html"
