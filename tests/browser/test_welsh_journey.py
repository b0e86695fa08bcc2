"""A resident who reads Welsh, in Chromium, with a real worker and SMTP server: they choose
Cymraeg, find their neighbourhood by postcode, send a query, read the confirmation email in
Welsh and follow the query on a tracking page that stays in Welsh. With and without
JavaScript: the switcher and the form are plain links and a plain form."""

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from neighbourhoods.models import Neighbourhood, Postcode
from queries.models import Query
from tests.browser.test_find_neighbourhood import demo  # noqa: F401 (a fixture)
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received
from tests.fixtures.mail import wait_for_mail

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]

RESIDENT = "catrin@example.com"


def welsh_resident_sends_a_query(
    page: Page, smtp_server, check_accessible: Callable[[Page], None] = assert_accessible
) -> None:
    area = Neighbourhood.objects.get(code="DC01")
    postcode = Postcode.objects.filter(neighbourhood=area).first()

    page.goto("/")
    switcher = page.get_by_role("navigation", name="Choose a language")
    switcher.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")

    page.get_by_label("Cod post, tref neu gymdogaeth").fill(postcode.postcode)
    page.get_by_role("button", name="Chwilio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(area.name_cy or area.name)
    assert page.url.endswith(f"/cy/neighbourhoods/{area.slug}/")

    page.get_by_role("button", name="Cysylltu â thîm eich cymdogaeth").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cysylltu â thîm eich cymdogaeth")
    page.get_by_label("Diogelwch ar y ffyrdd").check()
    page.get_by_label("Eich neges").fill(
        "Mae ceir yn rasio ar hyd Heol y Llwynog ar ôl hanner nos."
    )
    page.get_by_label("Eich enw").fill("Catrin Jones")
    page.get_by_label("Cyfeiriad e-bost").fill(RESIDENT)
    page.get_by_label("E-bost", exact=True).check()
    page.get_by_label("Rwy’n cytuno").check()
    page.get_by_role("button", name="Anfon eich ymholiad").click()

    expect(page.get_by_role("heading", name="Ymholiad wedi’i anfon")).to_be_visible()
    query = Query.objects.get(email=RESIDENT)
    expect(page.get_by_text(query.reference)).to_be_visible()
    check_accessible(page)

    # The confirmation, from a real SMTP server, in Welsh, with a Welsh tracking link.
    wait_for_mail(smtp_server, 1)
    (confirmation,) = [m for m in smtp_server.messages if RESIDENT in m["To"]]
    name = area.name_cy or area.name
    assert (
        confirmation["Subject"].strip()
        == f"Eich ymholiad {query.reference} i dîm cymdogaeth {name}"
    )
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert f"Diolch am gysylltu â thîm cymdogaeth {name}." in text
    link = re.search(r"https?://\S+/cy/queries/track/\S+", text)
    assert link, text

    # The tracking page, from the confirmation's link, stays in Welsh.
    page.goto(urlsplit(link.group(0))._replace(scheme="", netloc="").geturl())
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Eich ymholiad {query.reference}")
    expect(page.get_by_text("Mae ceir yn rasio ar hyd Heol y Llwynog")).to_be_visible()
    check_accessible(page)


def test_a_welsh_resident_finds_their_team_sends_a_query_and_reads_the_reply_in_welsh(
    page, celery_worker, smtp_server
):
    welsh_resident_sends_a_query(page, smtp_server)


def test_the_same_without_javascript(
    page_without_javascript, celery_worker, smtp_server, browser, live_server
):
    welsh_resident_sends_a_query(
        page_without_javascript,
        smtp_server,
        lambda page: assert_accessible_as_received(browser, live_server, page),
    )
