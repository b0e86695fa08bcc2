"""Hotspot patrols in Chromium: an officer logs a patrol on a phone and the month's public
summary shows it; OPCC reads the patrols panel and a hotspot's patrols."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patrols.services import patrol_record
from tests.fixtures.browser import assert_accessible, sign_in
from tests.fixtures.patrols import evening

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]


def test_an_officer_logs_a_patrol_on_a_phone_and_the_public_summary_shows_it(
    page, priya, colleague, hotspot
):
    page.set_viewport_size({"width": 375, "height": 667})
    sign_in(page, "officer")
    page.get_by_role("link", name="Hotspot patrols", exact=True).click()
    page.get_by_role("button", name="Log a patrol").click()
    expect(page.get_by_role("heading", name="Log a patrol")).to_be_visible()
    assert_accessible(page, h1="Log a patrol")

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Normanton Park, Normanton").check()
    date = page.get_by_role("group", name="Date", exact=True)
    date.get_by_label("Day").fill(str(yesterday.day))
    date.get_by_label("Month").fill(str(yesterday.month))
    date.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_label("Start time").fill("22:00")
    page.get_by_label("End time").fill("1am")
    page.get_by_label("PCSO Tom Ellis").check()
    page.get_by_label("Arrests").fill("-1")
    page.get_by_role("button", name="Log the patrol").click()

    expect(page.get_by_role("alert")).to_contain_text("Arrests must be 0 or more")
    assert_accessible(page, h1="Log a patrol")
    page.get_by_label("Arrests").fill("1")
    page.get_by_label("Groups dispersed").fill("2")
    page.get_by_label("Note (optional)").fill("Moved on the group by the bus shelter.")
    page.get_by_role("button", name="Log the patrol").click()

    expect(page.get_by_text("Your patrol of Normanton Park is logged: 3 hours")).to_be_visible()
    assert_accessible(page, h1="Hotspot patrols")

    page.goto(f"/neighbourhoods/normanton/patrols/?month={yesterday:%Y-%m}")
    summary = page.locator("#patrols-summary")
    # 3 hours, two officers.
    expect(summary).to_contain_text("Officers spent 6 hours on patrol in 1 hotspot in Normanton")
    expect(summary).to_contain_text("1 arrest, 2 groups dispersed")
    expect(page.get_by_text("bus shelter")).to_have_count(0)
    expect(page.get_by_text("Priya Sharma")).to_have_count(0)
    assert_accessible(page, h1="Hotspot patrols")


def test_opcc_reads_the_patrols_panel_and_a_hotspots_patrols(
    page, opcc_account, colleague, hotspot
):
    patrol_record(
        hotspot=hotspot,
        starts_at=evening(3),
        ends_at=evening(3, 21),
        officers=[colleague],
        outcomes={"arrests": 2},
        note="Two arrests for possession near the park gates.",
    )
    sign_in(page, "opcc")
    page.goto("/staff/dashboard/")
    page.get_by_role("link", name="Hotspot patrols").click()
    expect(page.get_by_role("heading", name="Hotspot patrols")).to_be_visible()
    page.get_by_label("Month").select_option(f"{evening(3):%Y-%m}")
    page.get_by_role("button", name="Show figures").click()

    table = page.locator("#patrols-panel-table")
    expect(table).to_contain_text("Normanton Park")
    expect(table.get_by_role("cell", name="2", exact=True).first).to_be_visible()
    assert_accessible(page, h1="Hotspot patrols")

    table.get_by_role("link", name="Normanton Park").click()
    expect(page.get_by_role("heading", name="Normanton Park")).to_be_visible()
    expect(page.locator("#patrols-hotspot-table")).to_contain_text(
        "Two arrests for possession near the park gates."
    )
    assert_accessible(page, h1="Normanton Park")
