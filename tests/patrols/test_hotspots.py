"""Defining hotspots: a polygon typed as corners or a radius around a point, checked against
the force's boundaries; the plan's dates; who may define them."""

import pytest

from config.roles import Role
from patrols.models import Hotspot

pytestmark = pytest.mark.django_db

NEW = "/staff/patrols/hotspots/new/"
# Around the factories' neighbourhood centre (52.92, -1.47).
SQUARE = "52.921, -1.471\n52.921, -1.469\n52.919, -1.469\n52.919, -1.471"
BOW_TIE = "52.921, -1.471\n52.919, -1.469\n52.921, -1.469\n52.919, -1.471"
SHEFFIELD = "53.381, -1.471\n53.381, -1.469\n53.379, -1.469\n53.379, -1.471"


def data(area, **extra) -> dict:
    values = {
        "neighbourhood": area.pk,
        "name": "Normanton Road shops",
        "reason": "Reports of groups gathering outside the shops.",
        "shape": "polygon",
        "corners": SQUARE,
        "plan_start_day": "1",
        "plan_start_month": "9",
        "plan_start_year": "2026",
        "plan_end_day": "30",
        "plan_end_month": "11",
        "plan_end_year": "2026",
        "planned_hours": "120",
    }
    values.update(extra)
    return values


def test_a_sergeant_defines_a_hotspot_by_its_corners(client, sergeant, area):
    client.force_login(sergeant.user)
    response = client.post(NEW, data(area))

    assert response.status_code == 302
    hotspot = Hotspot.objects.get()
    assert hotspot.name == "Normanton Road shops"
    assert hotspot.area["type"] == "Polygon"
    assert hotspot.area["coordinates"][0][0] == [-1.471, 52.921]
    assert hotspot.radius_metres is None
    listing = client.get(response["Location"]).content.decode()
    assert "Normanton Road shops" in listing
    assert "The hotspot Normanton Road shops is saved" in listing


def test_a_sergeant_defines_a_hotspot_as_a_radius_around_a_point(client, sergeant, area):
    client.force_login(sergeant.user)
    response = client.post(
        NEW, data(area, shape="circle", corners="", centre="52.92, -1.47", radius="150")
    )

    assert response.status_code == 302
    hotspot = Hotspot.objects.get()
    assert (hotspot.centre_latitude, hotspot.radius_metres) == (52.92, 150)
    assert len(hotspot.area["coordinates"][0]) == 33


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"corners": BOW_TIE},
            "The edge of the area crosses itself: list the corners in order round the edge",
        ),
        (
            {"corners": SHEFFIELD},
            "This area is outside the force: check the latitude and longitude of each point",
        ),
        ({"corners": "52.92, -1.47\n52.93"}, "Line 2 is not a latitude and longitude"),
        ({"corners": "52.92, -1.47\n52.93, -1.47"}, "Give at least 3 different corners"),
        (
            {"plan_end_day": "1", "plan_end_month": "8"},
            "The end of the plan must be on or after its start",
        ),
        (
            {"shape": "circle", "centre": "52.92, -1.47", "radius": "5000"},
            "The radius must be between 10 and 2,000 metres",
        ),
        ({"planned_hours": "-5"}, "The planned hours must be 1 or more"),
        ({"shape": ""}, "Choose how to give the area"),
    ],
)
def test_bad_hotspots_are_refused_with_a_message(client, sergeant, area, extra, message):
    client.force_login(sergeant.user)
    response = client.post(NEW, data(area, **extra))

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not Hotspot.objects.exists()


def test_a_hotspot_outside_its_own_neighbourhood_is_refused(client, sergeant, area, matlock):
    """Matlock is in the force, but not in Normanton."""
    client.force_login(sergeant.user)
    matlock_square = "53.139, -1.557\n53.139, -1.555\n53.137, -1.555\n53.137, -1.557"
    response = client.post(NEW, data(area, corners=matlock_square))

    assert "This area is outside Normanton: choose the neighbourhood it is in" in (
        response.content.decode()
    )
    assert not Hotspot.objects.exists()


def test_a_sergeant_cannot_define_hotspots_in_another_neighbourhood(
    client, sergeant, area, matlock
):
    client.force_login(sergeant.user)
    response = client.post(NEW, data(matlock, corners=SQUARE))

    assert "Choose a neighbourhood from the list" in response.content.decode()
    assert not Hotspot.objects.exists()


def test_a_sergeant_changes_a_hotspots_plan_and_the_history_keeps_it(
    client, sergeant, area, hotspot
):
    client.force_login(sergeant.user)
    url = f"/staff/patrols/hotspots/{hotspot.pk}/edit/"
    form = client.get(url).content.decode()
    assert "Change Normanton Park" in form
    response = client.post(url, data(area, name="Normanton Park", planned_hours="200"))

    assert response.status_code == 302
    hotspot.refresh_from_db()
    assert hotspot.planned_hours == 200
    assert hotspot.history.count() == 2


@pytest.mark.parametrize("roles", [(Role.OFFICER,), (Role.OPCC,), ()])
def test_officers_opcc_and_accounts_without_a_role_cannot_define_hotspots(
    client, make_account, area, hotspot, roles
):
    client.force_login(make_account(*roles))

    assert client.get("/staff/patrols/hotspots/").status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, data(area)).status_code == 403
    assert client.post(f"/staff/patrols/hotspots/{hotspot.pk}/edit/", data(area)).status_code == 403
    assert Hotspot.objects.count() == 1
