"""The public Guarantee figures in Chromium: the neighbourhood page's scorecard on a small
phone, and the performance pages' sortable table without JavaScript."""

import datetime

import pytest
from playwright.sync_api import expect

from dashboards.tasks import refresh_public_scorecards
from queries import clock
from tests.factories import AssignmentFactory, DivisionFactory, NeighbourhoodFactory
from tests.queries.factories import QueryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
TOO_WIDE = "() => document.documentElement.scrollWidth - window.innerWidth"


def answered(area, hours_ago: int, took: int) -> None:
    sent = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(hours=hours_ago)
    query = QueryFactory(neighbourhood=area, submitted_at=sent)
    when = sent + datetime.timedelta(hours=took)
    clock.stop(query, when, None)
    query.save()
    clock.record_answer(query, when)


@pytest.fixture
def division():
    """The City division: Normanton with 6 queries answered in the last weeks (one late),
    and Abbey with 5, all in time."""
    city = DivisionFactory(name="City", slug="city")
    normanton = NeighbourhoodFactory(name="Normanton Road and Pear Tree", division=city)
    abbey = NeighbourhoodFactory(name="Abbey", division=city)
    AssignmentFactory(neighbourhood=normanton)
    for n in range(5):
        answered(normanton, 200 + n, 3)
        answered(abbey, 300 + n, 2)
    answered(normanton, 400, 90)
    refresh_public_scorecards()
    return city


def test_the_scorecard_fits_a_phone_without_scrolling_sideways(page, division):
    area = division.neighbourhoods.get(name__startswith="Normanton")
    page.set_viewport_size(PHONE)
    page.goto(area.get_absolute_url())

    panel = page.get_by_role("region", name="How this team keeps its promises")
    expect(panel).to_contain_text("this team answered 5 of 6 queries within 72 hours (83%)")
    expect(panel).to_contain_text("the typical answer took 3 hours")
    assert page.evaluate(TOO_WIDE) <= 0


def test_the_division_page_fits_a_phone_without_scrolling_sideways(page, division):
    page.set_viewport_size(PHONE)
    page.goto("/performance/city/")

    expect(page.get_by_role("table", name="Neighbourhoods, last 90 days")).to_be_visible()
    assert page.evaluate(TOO_WIDE) <= 0


def test_the_neighbourhoods_sort_without_javascript(page_without_javascript, division):
    page = page_without_javascript
    page.goto("/performance/city/")
    table = page.get_by_role("table", name="Neighbourhoods, last 90 days")
    expect(table.get_by_role("row").nth(1)).to_contain_text("Abbey")

    table.get_by_role("link", name="Answered within the target").click()
    table.get_by_role("link", name="Answered within the target").click()

    assert page.url.endswith("/performance/city/?sort=-share#compare")
    expect(table.get_by_role("columnheader", name="Answered within the target")).to_have_attribute(
        "aria-sort", "descending"
    )
    # Abbey 100% first, Normanton 83% after it.
    expect(table.get_by_role("row").nth(1)).to_contain_text("Abbey")
    expect(table.get_by_role("row").nth(2)).to_contain_text("5 (83%)")
    expect(page.get_by_role("table", name="Each month\u2019s figures")).to_be_visible()
