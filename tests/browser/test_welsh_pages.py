"""Every Welsh page in Chromium: axe-core finds no violation on it (WCAG 2.2 A/AA and best
practice), and at 320 CSS pixels wide it neither scrolls sideways (WCAG 1.4.10, reflow) nor
clips what it says (a long Welsh word in a button, a tag, the header or its switcher).

The pages come from the table `tests/test_urls_kept.py` keeps, so a page pinned there is
checked here without anyone remembering: every public page under /cy/ (the rows
`tests.test_languages.PUBLIC_PAGES` walks) and its pages for a link that does not work, the
staff area's pages as their user sees them after choosing Cymraeg (the rows
`tests.test_translations.STAFF_PAGES` walks, and those that refuse or find nothing), the
sign-in pages at their one address, the public forms sent empty, with their errors shown, and
the pages those forms lead to once sent.
The data is the demo's, with texts as long as real ones get (`test_reflow.demo`).

One browser page walks them all, each user signing in once: each page is loaded once, checked
to be the page meant (the address asked, its status, `lang="cy"` and its Welsh `<h1>`: axe
checks an error page as happily as any other), checked by axe at a desktop width and for text
left in the browser's own font, then narrowed to 320 pixels and measured (and checked by axe
again where a table stacks its cells at that width). Every problem on every page is listed at
the end.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page

from tests.browser import test_reflow as reflow
from tests.browser.test_reflow import PHONE, demo, sign_in, too_wide  # noqa: F401
from tests.fixtures.browser import _axe, new_page, page_status
from tests.test_languages import PUBLIC_PAGES, welsh
from tests.test_translations import STAFF_PAGES
from tests.test_urls_kept import AREA, HTML, ROWS, Row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
NOT_A_PAGE = ("/api/", "/open311/", "/oidc/", "/admin/")
# The public pages for a link that does not work, and the staff pages that refuse their user
# or find nothing: the portal's error pages, in Welsh.
PUBLIC_ERROR_PAGES = [
    row
    for row in ROWS
    if row.user is None and row.status == 404 and row.shows and not row.path.startswith(NOT_A_PAGE)
]
STAFF_ERROR_PAGES = [row for row in ROWS if row.user is not None and row.status in (400, 403, 404)]
# The sign-in pages, and the pages around them, shown at their one address to nobody signed in.
SIGN_IN_PAGES = [
    row
    for row in ROWS
    if row.user is None
    and row.status == 200
    and row.content_type == HTML
    and row.path.startswith("/staff/")
]
# The <h1> of the error pages that say no more than their status.
ERROR_HEADINGS = {403: "You cannot use this page", 404: "Page not found"}
# The Welsh heading of a page whose English heading is not a whole message of the catalogue,
# by the URL's name: the demo's own names (in Welsh where the demo gives them a Welsh name), or
# a heading built around a name. The staff area shows what staff wrote as they wrote it.
WELSH_HEADINGS = {
    "neighbourhoods:detail": "Canol Dinas Derby",
    "officer_profiles:profile": "Priya Sharma",
    "meetings:event": "Cyfarfod bro Canol Dinas Derby",
    "performance:force": ("Sut mae Heddlu Swydd Derby (demo) yn cadw’r Warant Plismona Cymdogaeth"),
    "performance:division": (
        "Sut mae adran Derby City and Amber Valley Division yn cadw’r Warant Plismona Cymdogaeth"
    ),
    "reports:list": "Y Warant Plismona Cymdogaeth: adroddiadau chwarterol",
    "surveys:survey": "Ar beth ddylen ni ganolbwyntio nesaf?",
    "officers:profile_edit": "Golygu proffil Priya Sharma",
    "queries_staff:detail": "Ymholiad {reference}",
    "meetings_staff:event": "Derby City Centre beat meeting",
    "meetings_staff:series": "Derby City Centre beat meeting",
    "surveys_staff:results": "What should we focus on next",
    "dashboard:reports": "Adroddiadau chwarterol y Warant",
    "dashboard:patrols_hotspot": "Market Place and the Cornmarket",
    "patrols_staff:hotspot_edit": "Newid Market Place and the Cornmarket",
}

# What the page hides by clipping: an element that cuts its content off at its edge (overflow
# hidden or clip) while its content is wider. Screen-reader-only text and a stacked table's
# hidden header row are clipped on purpose; a form field scrolls its own value.
CLIPPED = """() => {
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest(".govuk-visually-hidden, .govuk-visually-hidden-focusable")) continue;
    const style = getComputedStyle(element);
    if (style.clipPath === "inset(50%)" || element.clientWidth <= 1) continue;
    if (["input", "textarea", "select"].includes(element.localName)) continue;
    const clips = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
    if (clips && element.scrollWidth > element.clientWidth + 1) {
      const classes = [...element.classList].map((c) => "." + c).join("");
      const text = (element.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 60);
      found.push(`<${element.localName}${classes}> shows ${element.clientWidth}px of `
        + `${element.scrollWidth}px: "${text}"`);
    }
  }
  return found;
}"""
# Text drawn in the browser's default serif: an element without the GOV.UK class that sets the
# font (GOV.UK Frontend sets it on each component, not on the page).
UNSTYLED = """() => {
  const found = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.trim();
    if (!text || element.closest("script, style, svg, .govuk-visually-hidden")) continue;
    if (getComputedStyle(element).fontFamily.includes("Times")) {
      const classes = [...element.classList].map((c) => "." + c).join("");
      found.add(`<${element.localName}${classes}> "${text.slice(0, 40)}"`);
    }
  }
  return [...found];
}"""
AXE = "() => axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)"


@dataclass
class Walk:
    """One browser page, and what it found wrong on each page it checked."""

    page: Page
    problems: list[str] = field(default_factory=list)
    checked: int = 0

    def check(self, expected_h1: str, *, status: int = 200, url: str | None = None) -> None:
        """Check the page now shown: the page meant, in Welsh, accessible, and reflowing."""
        page = self.page
        page.wait_for_load_state("load")
        where = "/" + page.url.split("/", 3)[3]
        if url is not None and where != url:
            self.problems.append(f"{url}: landed on {where}")
            return
        if page_status(page) != status:
            self.problems.append(f"{where}: answered {page_status(page)}, not {status}")
            return
        if (lang := page.locator("html").get_attribute("lang")) != "cy":
            self.problems.append(f"{where}: <html lang={lang!r}>, not Welsh")
        headings = [" ".join(h.split()) for h in page.locator("h1").all_inner_texts()]
        if not any(expected_h1 in heading for heading in headings):
            self.problems.append(f"{where}: no <h1> holds {expected_h1!r}, only {headings}")
            return
        self.checked += 1
        self.axe(where)
        self.problems += [f"{where}: in the browser's font: {e}" for e in page.evaluate(UNSTYLED)]
        page.set_viewport_size(PHONE)
        if overflow := too_wide(page):
            self.problems.append(overflow)
        self.problems += [f"{where}: at 320px {clip}" for clip in page.evaluate(CLIPPED)]
        if page.locator(".app-table--stack").count():
            # A stacked table names each value with its Welsh column heading on a phone.
            self.axe(f"{where} at 320px")
        page.set_viewport_size(DESKTOP)

    def axe(self, where: str) -> None:
        for violation in self.page.evaluate(AXE):
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            self.problems.append(
                f"{where}: axe {violation['id']} ({violation['impact']}): {violation['help']}; "
                f"{len(violation['nodes'])} element(s): {targets}"
            )


@pytest.fixture
def walk(browser, live_server) -> Iterator[Walk]:
    for page in new_page(browser, live_server, viewport=DESKTOP):
        # axe-core is put in each page as it loads, before the page's own scripts.
        page.context.add_init_script(_axe.axe_script)
        page.set_default_timeout(10_000)
        yield Walk(page=page)


def in_welsh(english: str) -> str:
    with translation.override("cy"):
        return gettext(english)


def welsh_heading(row: Row, demo: dict[str, str]) -> str:  # noqa: F811
    """The Welsh of the text the row's English `<h1>` holds."""
    if row.status == 200 and row.name in WELSH_HEADINGS:
        return WELSH_HEADINGS[row.name].format(**demo)
    english = row.shows.format(**demo) or ERROR_HEADINGS[row.status]
    welsh_text = in_welsh(english)
    assert welsh_text != english, (
        f"{row.id}: its heading {english!r} is no message of the Welsh catalogue: "
        "add its Welsh to WELSH_HEADINGS"
    )
    return welsh_text


def address(row: Row, demo: dict[str, str]) -> str:  # noqa: F811
    """The row's path and query string, with the demo's keys in them."""
    path = row.path.format(**demo)
    query = urlencode({key: value.format(**demo) for key, value in row.query.items()})
    return f"{path}?{query}" if query else path


def answered_query() -> tuple[str, str]:
    """A query sent in Welsh and answered by its named officer: its tracking token, and the
    path of the answer email's "Did this answer your query?" link."""
    return reflow.answered_query(
        message="Mae ceir yn rasio ar hyd Fox Lane ar ôl hanner nos.",
        reply="Byddwn yn patrolio Fox Lane.",
        language="cy",
    )


def public_forms(demo: dict[str, str]) -> list[tuple[str, str]]:  # noqa: F811
    """Each public form, by its page and the English of the button that sends it."""
    token, answer_link = answered_query()
    return [
        (f"/neighbourhoods/{AREA}/contact/", "Send your query"),
        ("/contact/", "Search"),
        ("/queries/new-link/", "Email me a new link"),
        (f"/queries/track/{token}/", "Send your answer"),
        (answer_link, "Send your answer"),
        ("/alerts/", "Sign up for alerts"),
        (f"/events/{demo['event']}/register/", "Register"),
        (f"/have-your-say/{demo['survey']}/", "Send my answer"),
        (f"/have-your-say/priorities/{demo['priority']}/support/", "Support this priority"),
        ("/asb/report/", "Continue"),
    ]


def sent_forms(demo: dict[str, str]) -> list[tuple[str, dict, str, str]]:  # noqa: F811
    """Each public form that leads to a page of its own once sent: its page, what to send (by
    field name), the English of its button, and the English heading of the page it leads to."""
    email = {"email": "robin.resident@example.com"}
    return [
        (
            f"/neighbourhoods/{AREA}/contact/",
            {
                "topic": "other",
                "message": "A oes cyfarfod wedi'i drefnu ger yr orsaf fis nesaf?",
                "name": "Robin Resident",
                **email,
                "contact_preference": "email",
                "consent": True,
            },
            "Send your query",
            "Query sent",
        ),
        (
            f"/events/{demo['event']}/register/",
            {"name": "Robin Resident", **email},
            "Register",
            "You are registered",
        ),
        (
            f"/have-your-say/priorities/{demo['priority']}/support/",
            email,
            "Support this priority",
            "Check your email",
        ),
        (
            f"/alerts/?neighbourhood={AREA}",
            {**email, "topics": "events", "frequency": "immediate"},
            "Sign up for alerts",
            "Check your email",
        ),
    ]


def fill(page: Page, data: dict[str, str | bool]) -> None:
    """Fill the form's fields by their names: a radio or checkbox by its value, a lone
    checkbox by True."""
    for name, value in data.items():
        field = page.locator(f"main [name='{name}']")
        if value is True:
            field.check()
        elif field.first.get_attribute("type") in ("radio", "checkbox"):
            page.locator(f"main [name='{name}'][value='{value}']").check()
        else:
            field.fill(value)


def choose_welsh(page: Page) -> None:
    """The language cookie the switcher sets, as a member of staff who chose Cymraeg has."""
    origin = "/".join(page.url.split("/", 3)[:3])
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "cy", "url": f"{origin}/"}]
    )


def test_every_welsh_page_has_no_axe_violation_and_fits_a_small_phone(walk, demo):  # noqa: F811
    page, forms, sent = walk.page, public_forms(demo), sent_forms(demo)
    for row in PUBLIC_PAGES + PUBLIC_ERROR_PAGES:
        path = welsh(address(row, demo))
        page.goto(path)
        walk.check(welsh_heading(row, demo), status=row.status, url=path)
    page.goto("/cy/no-such-page/")
    walk.check(in_welsh("Page not found"), status=404)

    for path, button in forms:
        page.goto(welsh(path))
        heading = " ".join(page.locator("h1").first.inner_text().split())
        page.locator("main").get_by_role("button", name=in_welsh(button), exact=True).click()
        summary = page.locator(".govuk-error-summary__title")
        if summary.inner_text().strip() != in_welsh("There is a problem"):
            walk.problems.append(f"{path}: its error summary says {summary.inner_text()!r}")
        walk.check(heading)

    for path, data, button, heading in sent:
        page.goto(welsh(path))
        fill(page, data)
        page.locator("main").get_by_role("button", name=in_welsh(button), exact=True).click()
        page.locator("h1", has_text=in_welsh(heading)).wait_for()
        walk.check(in_welsh(heading))

    page.goto("/staff/sign-in/")
    choose_welsh(page)
    for row in SIGN_IN_PAGES:
        path = address(row, demo)
        page.goto(path)
        walk.check(welsh_heading(row, demo), url=path)

    signed_in = None
    for row in sorted(STAFF_PAGES + STAFF_ERROR_PAGES, key=lambda row: row.user):
        if row.user != signed_in:
            page.context.clear_cookies()
            sign_in(page, row.user)
            choose_welsh(page)
            signed_in = row.user
        path = address(row, demo)
        page.goto(path)
        walk.check(welsh_heading(row, demo), status=row.status, url=path)

    pages = PUBLIC_PAGES + PUBLIC_ERROR_PAGES + SIGN_IN_PAGES + STAFF_PAGES + STAFF_ERROR_PAGES
    assert not walk.problems, f"{len(walk.problems)} problem(s) on the Welsh pages:\n" + (
        "\n".join(walk.problems)
    )
    assert walk.checked == len(pages) + 1 + len(forms) + len(sent)
