"""Reflow (WCAG 2.2, 1.4.10): at 320 CSS pixels wide, the width of a small phone, no page
scrolls sideways, with the demo data and texts long enough to push a table past the edge.

The pages are every HTML page `tests/test_urls_kept.py` pins (so a new page is checked here
as soon as it is pinned there), as the user it is pinned for, plus the staff home of each role,
the pages reached through a form, and the error pages. Each role signs
in once and visits all of its pages; the assertion lists every page too wide, by how much, and
the widest element reaching past the right edge.
"""

import io
import secrets
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from engagement.models import Priority, Survey
from meetings.models import Event, Registration
from neighbourhoods.models import Division, Neighbourhood
from officers.demo import DEMO_PASSWORD
from officers.models import Officer
from queries.models import Query, ResponseClock
from queries.services.feedback import answer_feedback_url
from queries.services.resident import query_submit
from queries.services.staff import query_reply
from tests.fixtures.browser import _axe, new_page
from tests.test_urls_kept import AREA, HTML, ROWS, UNKNOWN_TOKEN, _demo_keys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
STAFF = ["officer", "sergeant", "opcc", "admin"]
LONG_EMAIL = (
    "alexandra.montgomery-fitzwilliam.residents-association@neighbourhood-watch.example.org.uk"
)
LONG_URL = "https://www.example.org.uk/neighbourhood-watch/derby-city-centre/reports/speeding-vehicles-2026"

# How far the page reaches past the viewport, and the widest element that reaches past it.
OVERFLOW = """() => {
  const viewport = window.innerWidth;
  const reach = document.documentElement.scrollWidth;
  if (reach <= viewport) return null;
  // Text hidden for all but screen readers is clipped: it cannot be what reaches past the edge.
  const hidden = (element) => element.closest(".govuk-visually-hidden");
  let widest = null;
  for (const element of document.body.querySelectorAll("*")) {
    if (hidden(element)) continue;
    const box = element.getBoundingClientRect();
    if (box.right > viewport + 0.5 && (!widest || box.width > widest.width)) {
      widest = {element, width: box.width, right: box.right};
    }
  }
  // Text that cannot break (a long address) reaches past its element's own box.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    if (hidden(walker.currentNode.parentElement)) continue;
    range.selectNodeContents(walker.currentNode);
    const box = range.getBoundingClientRect();
    if (box.right > viewport + 0.5 && (!widest || box.width > widest.width)) {
      widest = {element: walker.currentNode.parentElement, width: box.width, right: box.right};
    }
  }
  let name = "nothing found";
  if (widest) {
    const e = widest.element;
    const classes = [...e.classList].map((c) => "." + c).join("");
    const text = (e.innerText || e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    name = `<${e.localName}${e.id ? "#" + e.id : ""}${classes}> ${Math.round(widest.width)}px `
      + `wide, right edge at ${Math.round(widest.right)}px: "${text}"`;
  }
  return {viewport, reach, widest: name};
}"""


@pytest.fixture
def demo(db) -> dict[str, str]:
    """The demo data, with some of its texts made as long as real ones get: long place and
    officer names, an email address and a web address that cannot break at a space."""
    call_command("seed_demo", stdout=io.StringIO())
    keys = _demo_keys()
    area = Neighbourhood.objects.get(slug=AREA)
    area.name = "Derby City Centre, Cathedral Quarter and the Riverside Gardens"
    area.save(update_fields=["name"])
    Division.objects.filter(neighbourhoods=area).update(name="Derby City and Amber Valley Division")
    Officer.objects.filter(display_name="Tom Ellis").update(
        display_name="Thomas Montgomery-Fitzwilliam-Hetherington"
    )
    Priority.objects.filter(pk=keys["priority"]).update(
        issue=f"Speeding vehicles near the primary school at drop-off, as reported at {LONG_URL}"
    )
    Survey.objects.filter(pk=keys["survey"]).update(
        question="What should we focus on next in the Cathedral Quarter and the riverside?"
    )
    Query.objects.filter(reference=keys["reference"]).update(
        message=f"Groups of teenagers have been gathering; photographs are at {LONG_URL}",
        email=LONG_EMAIL,
    )
    for event in Event.objects.filter(pk__in=[keys["event"], keys["held_event"]]):
        Registration.objects.create(
            event=event,
            name="Alexandra Montgomery-Fitzwilliam",
            email=LONG_EMAIL,
            accessibility_needs=f"A hearing loop, please; see {LONG_URL}",
            cancel_token_hash=secrets.token_hex(32),
        )
    return keys


@pytest.fixture
def phone(browser, live_server) -> Page:
    yield from new_page(browser, live_server, viewport=PHONE)


def pinned_pages(user: str | None, demo: dict[str, str]) -> list[str]:
    """The HTML pages `test_urls_kept` pins as answering 200 to `user`."""
    pages = []
    for row in ROWS:
        if row.user == user and row.status == 200 and row.content_type == HTML:
            query = {key: value.format(**demo) for key, value in row.query.items()}
            pages.append(row.path.format(**demo) + (f"?{urlencode(query)}" if query else ""))
    return pages


def staff_pages(username: str, demo: dict[str, str]) -> list[str]:
    """The pages pinned for a staff user, their staff home, and for an officer the staff page
    of a meeting already held (its registrations table lists who attended)."""
    pages = pinned_pages(username, demo)
    if "/staff/" not in pages:
        pages.insert(0, "/staff/")
    if username == "officer":
        pages.append(f"/staff/events/{demo['held_event']}/")
    return pages


def sign_in(page: Page, username: str) -> None:
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Staff area")).to_be_visible()


def too_wide(page: Page) -> str | None:
    """None if the page fits the viewport; else how far it reaches, and what reaches it."""
    # After a click the page's text can be visible before its stylesheet has loaded; measured
    # then, a textarea keeps its 40-column width (seen once under load). Load waits for CSS.
    page.wait_for_load_state("load")
    found = page.evaluate(OVERFLOW)
    if found is None:
        return None
    return (
        f"{page.url}: {found['reach']}px wide in a {found['viewport']}px viewport "
        f"(+{found['reach'] - found['viewport']}px); widest past the edge: {found['widest']}"
    )


def assert_fits(page: Page, paths: list[str], expected_status: int = 200) -> None:
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response.status == expected_status, f"GET {path} answered {response.status}"
        problems.append(too_wide(page))
    problems = [problem for problem in problems if problem]
    assert not problems, f"{len(problems)} of {len(paths)} pages scroll sideways:\n" + "\n".join(
        problems
    )


def test_no_public_page_scrolls_sideways_on_a_small_phone(phone, demo):
    assert_fits(phone, pinned_pages(None, demo))


@pytest.mark.parametrize("username", STAFF)
def test_no_staff_page_scrolls_sideways_on_a_small_phone(phone, demo, username):
    sign_in(phone, username)
    assert_fits(phone, staff_pages(username, demo))


def test_pages_for_links_that_do_not_work_fit_a_small_phone(phone, demo):
    assert_fits(phone, ["/neighbourhoods/nowhere/", f"/queries/track/{UNKNOWN_TOKEN}/"], 404)


@pytest.mark.urls("tests.error_urls")
def test_error_pages_fit_a_small_phone(phone):
    for status in (400, 403, 500):
        response = phone.goto(f"/fail/{status}/")
        assert response.status == status
        assert too_wide(phone) is None, too_wide(phone)


def test_sending_a_query_and_following_it_fits_a_small_phone(phone, demo):
    phone.goto(f"/neighbourhoods/{AREA}/contact/")
    phone.get_by_label("Road safety").check()
    phone.get_by_label("Your message").fill(f"Cars race along Fox Lane; a video is at {LONG_URL}")
    phone.get_by_label("Your name").fill("Alexandra Montgomery-Fitzwilliam")
    phone.get_by_label("Email address").fill(LONG_EMAIL)
    phone.get_by_label("Email", exact=True).check()
    phone.get_by_label("I agree that my details are used to answer my query").check()
    phone.get_by_role("button", name="Send your query").click()
    expect(phone.get_by_role("heading", name="Query sent")).to_be_visible()
    sent = too_wide(phone)

    phone.locator("a[href*='/queries/track/']").click()
    expect(phone.get_by_text("Cars race along Fox Lane")).to_be_visible()
    tracked = too_wide(phone)

    assert sent is None, sent
    assert tracked is None, tracked


def test_a_stacked_table_shows_each_heading_beside_its_value_only_on_a_phone(phone, demo):
    sign_in(phone, "officer")
    phone.goto("/staff/queries/")
    table = phone.locator("table.app-table--stack")
    cell = table.locator("td[data-label='Neighbourhood']").first
    heading = "(element) => getComputedStyle(element, '::before').content"
    header_row_height = "(element) => element.getBoundingClientRect().height"

    assert "Neighbourhood" in cell.evaluate(heading)
    assert table.locator("thead").evaluate(header_row_height) <= 1
    expect(table.get_by_role("columnheader", name="Neighbourhood")).to_have_count(1)

    phone.set_viewport_size({"width": 1024, "height": 768})
    assert cell.evaluate(heading) == "none"
    assert table.locator("thead").evaluate(header_row_height) > 1
    expect(table.get_by_role("columnheader", name="Neighbourhood")).to_be_visible()


@pytest.mark.parametrize("username", [None, "officer", "sergeant", "opcc"])
def test_stacked_tables_have_no_axe_violations_on_a_small_phone(phone, demo, username):
    if username:
        sign_in(phone, username)
    checked, violations = 0, []
    for path in staff_pages(username, demo) if username else pinned_pages(None, demo):
        phone.goto(path)
        if phone.locator(".app-table--stack").count() == 0:
            continue
        checked += 1
        results = _axe.run(phone)
        if results.response["violations"]:
            violations.append(f"{phone.url}:\n{results.generate_report()}")
    assert checked, "no page with a stacked table"
    assert not violations, "\n".join(violations)


def test_the_emergency_warning_and_the_flagged_query_fit_a_small_phone(phone, demo):
    phone.goto(f"/neighbourhoods/{AREA}/contact/")
    phone.get_by_label("Anti-social behaviour").check()
    phone.get_by_label("Your message").fill(
        f"Someone is trying to break in next door right now; the camera feed is at {LONG_URL}"
    )
    phone.get_by_label("Your name").fill("Alexandra Montgomery-Fitzwilliam")
    phone.get_by_label("Email address").fill(LONG_EMAIL)
    phone.get_by_label("Email", exact=True).check()
    phone.get_by_label("I agree that my details are used to answer my query").check()
    phone.get_by_role("button", name="Send your query").click()
    expect(phone.get_by_text("Your message may describe an emergency").first).to_be_visible()
    warned = too_wide(phone)

    phone.get_by_label("It is not an emergency: send my query").check()
    phone.get_by_role("button", name="Send your query").click()
    expect(phone.get_by_role("heading", name="Query sent")).to_be_visible()
    reference = phone.locator("strong").filter(has_text="-").first.inner_text()
    sign_in(phone, "officer")
    phone.goto("/staff/queries/")
    expect(phone.get_by_text("Urgent words").first).to_be_visible()
    inbox = too_wide(phone)
    phone.get_by_role("link", name=reference).click()
    expect(phone.get_by_text("Urgent words: the message may describe an emergency")).to_be_visible()
    query_page = too_wide(phone)

    assert warned is None, warned
    assert inbox is None, inbox
    assert query_page is None, query_page


def answered_query(*, message: str, reply: str, language: str = "") -> tuple[str, str]:
    """A query from a resident with a long name and address, answered by the demo's named
    officer: its tracking token, and the path of the answer email's "Did this answer your
    query?" link."""
    officer = Officer.objects.select_related("user").get(user__username="officer")
    query, token = query_submit(
        neighbourhood=Neighbourhood.objects.get(slug=AREA),
        topic="road_safety",
        message=message,
        name="Alexandra Montgomery-Fitzwilliam",
        email=LONG_EMAIL,
        phone="",
        contact_preference="email",
        language=language,
    )
    query_reply(query=query, by=officer.user, message=reply)
    link = answer_feedback_url(clock=ResponseClock.objects.get(query=query))
    return token, link[link.index("/queries/") :]


def test_the_question_after_an_answer_fits_a_small_phone(phone, demo):
    token, link = answered_query(
        message="Cars race along Fox Lane after midnight.",
        reply=f"We will patrol; see {LONG_URL}",
    )

    phone.goto(f"/queries/track/{token}/")
    phone.get_by_role("button", name="Send your answer").click()
    expect(phone.get_by_role("alert")).to_contain_text("Select yes, partly or no")
    tracked = too_wide(phone)
    phone.goto(link)
    expect(phone.get_by_role("group", name="Did this answer your query?")).to_be_visible()
    emailed = too_wide(phone)

    assert tracked is None, tracked
    assert emailed is None, emailed
