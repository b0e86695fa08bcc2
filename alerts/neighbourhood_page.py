"""The link to sign up for a neighbourhood's alerts on its page (a neighbourhoods.page
section)."""

from neighbourhoods.page import PageSection


class SignUpSection(PageSection):
    order = 14
    template = "alerts/_neighbourhood_sign_up.html"
