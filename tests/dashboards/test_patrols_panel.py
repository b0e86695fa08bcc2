"""The hotspot patrols panel of the dashboard: hours against the plan, patrols and outcomes
by hotspot and month; the drill-down to a hotspot's patrols with their notes; CSV; who may see
it (OPCC and supervisors, read only) and who may not."""

import csv
import io

import pytest
from django.utils import timezone

from patrols.models import Patrol
from patrols.services import patrol_log, patrol_record
from tests.fixtures.patrols import evening, make_hotspot
from tests.html import element, elements, hrefs

pytestmark = pytest.mark.django_db

PANEL = "/staff/dashboard/patrols/"
EXPORT = "/staff/dashboard/patrols/export.csv"
NOTE = "Spoke to the manager of the chip shop."


def numbers(table) -> list[tuple[str, str]]:
    """Each figure of a table as (its column, as a narrow screen labels it; its text)."""
    return [
        (cell.attrs.get("data-label", ""), cell.text)
        for cell in elements(table, "td", class_="govuk-table__cell govuk-table__cell--numeric")
    ]


def month_of(moment) -> str:
    return f"{moment.astimezone(timezone.get_current_timezone()):%Y-%m}"


@pytest.fixture
def logged(priya, colleague, hotspot, matlock_hotspot):
    patrol_log(
        by=priya.user,
        hotspot=hotspot,
        starts_at=evening(10),
        ends_at=evening(10, 22),
        others=[colleague],
        outcomes={"arrests": 2, "dispersal_orders": 1},
        note=NOTE,
    )
    patrol_record(
        hotspot=matlock_hotspot,
        starts_at=evening(10),
        ends_at=evening(10, 20),
        officers=[colleague],
        outcomes={},
        note="Quiet night in Matlock.",
    )
    return evening(10)


def test_opcc_sees_each_hotspot_against_its_plan(client, opcc_account, logged):
    client.force_login(opcc_account)
    response = client.get(PANEL, {"month": month_of(logged)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Normanton Park" in page and "Matlock Bath riverside" in page
    table = numbers(element(page, "*", id="patrols-panel-table"))
    # Normanton Park: 3 hours x 2 officers = 6 officer hours.
    assert ("Officer hours", "6") in table
    assert ("Arrests", "2") in table
    assert NOTE not in page
    months = element(page, "*", id="patrols-panel-months")
    assert len(elements(months, "*", data_label="Month")) == 12
    assert ("Patrols", "2") in numbers(months)


def test_the_csv_has_each_hotspot_and_month_with_the_plan(client, opcc_account, logged):
    client.force_login(opcc_account)
    response = client.get(EXPORT, {"month": month_of(logged)})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    normanton = next(
        row
        for row in rows
        if row["Hotspot"] == "Normanton Park" and row["Month"] == month_of(logged)
    )
    assert normanton["Officer hours"] == "6.0"
    assert normanton["Patrols"] == "1"
    assert normanton["Dispersal orders"] == "1"
    assert float(normanton["Planned officer hours"]) > 0


def test_the_drill_down_shows_the_patrols_with_officers_and_notes_to_staff(
    client, opcc_account, logged, hotspot
):
    client.force_login(opcc_account)
    response = client.get(f"{PANEL}hotspots/{hotspot.pk}/", {"month": month_of(logged)})

    page = response.content.decode()
    assert response.status_code == 200
    assert NOTE in page
    assert "Priya Sharma" in page and "Tom Ellis" in page
    assert "Quiet night in Matlock." not in page
    assert "Outline of the area of Normanton Park" in page


def test_a_supervisor_sees_their_hotspots_and_not_another_divisions(
    client, sergeant, logged, matlock_hotspot
):
    client.force_login(sergeant.user)
    page = client.get(PANEL, {"month": month_of(logged)}).content.decode()

    assert "Normanton Park" in page
    assert "Matlock Bath riverside" not in page
    drill = client.get(f"{PANEL}hotspots/{matlock_hotspot.pk}/", {"month": month_of(logged)})
    assert drill.status_code == 403
    assert client.get(PANEL, {"scope": "force"}).status_code == 400


@pytest.mark.parametrize("who", ["officer", "no role"])
def test_officers_and_accounts_without_a_role_are_refused(
    client, priya, make_account, hotspot, who
):
    client.force_login(priya.user if who == "officer" else make_account())
    for url in (PANEL, EXPORT, f"{PANEL}hotspots/{hotspot.pk}/"):
        assert client.get(url).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, hotspot):
    for url in (PANEL, EXPORT, f"{PANEL}hotspots/{hotspot.pk}/"):
        response = client.get(url)
        assert response["Location"].startswith("/staff/sign-in/")


def test_opcc_cannot_log_or_change_patrols(client, opcc_account, logged, hotspot):
    client.force_login(opcc_account)
    before = Patrol.objects.count()

    assert client.post(PANEL, {"month": month_of(logged)}).status_code == 405
    assert client.post(f"{PANEL}hotspots/{hotspot.pk}/").status_code == 405
    assert client.post("/staff/patrols/new/", {"hotspot": hotspot.pk}).status_code == 403
    assert client.post(f"/staff/patrols/hotspots/{hotspot.pk}/edit/", {}).status_code == 403
    assert Patrol.objects.count() == before


def test_a_bad_month_or_scope_is_a_message(client, opcc_account):
    client.force_login(opcc_account)
    response = client.get(PANEL, {"month": "2026-99"})
    assert response.status_code == 400
    assert "Choose a month from the list" in response.content.decode()
    assert client.get(EXPORT, {"scope": "division:nowhere"}).status_code == 400


def test_the_panel_reads_a_fixed_number_of_statements(
    client, opcc_account, logged, area, colleague, django_assert_max_num_queries
):
    for number in range(15):
        spot = make_hotspot(area, f"Hotspot {number}")
        patrol_record(
            hotspot=spot,
            starts_at=evening(10),
            ends_at=evening(10, 21),
            officers=[colleague],
            outcomes={"arrests": 1},
        )
    client.force_login(opcc_account)
    with django_assert_max_num_queries(12):
        response = client.get(PANEL, {"month": month_of(logged)})
    assert len(elements(response, "*", data_label="Hotspot")) == 17


def test_the_dashboard_links_to_the_panel(client, opcc_account):
    client.force_login(opcc_account)
    page = client.get("/staff/dashboard/").content.decode()
    assert PANEL in hrefs(page)
