"""The button to contact a neighbourhood's team on its page (a neighbourhoods.page section)."""

from neighbourhoods.page import PageSection


class ContactSection(PageSection):
    order = 12
    template = "queries/_neighbourhood_contact.html"
