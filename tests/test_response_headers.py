"""Headers every answer carries, checked on every named URL of `tests/test_urls_kept.py`'s
table: staff answers are never stored by a browser or proxy, HEAD is answered wherever GET is,
and the Permissions-Policy allows the portal its own location lookup and nothing else."""

import pytest

from tests import test_urls_kept
from tests.test_urls_kept import ROWS, body, sign_in

pytestmark = pytest.mark.django_db

# The demo data, seeded once for this module as for the table's own.
demo = test_urls_kept.demo

STAFF_PREFIXES = ("/staff/", "/admin/")
STAFF_ROWS = [row for row in ROWS if row.path.startswith(STAFF_PREFIXES)]
# Every row a GET answers (405: a URL that takes POST only, so it takes no HEAD either).
GET_ROWS = [row for row in ROWS if row.status != 405]
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(), geolocation=(self), gyroscope=(), hid=(), idle-detection=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), "
    "publickey-credentials-create=(self), publickey-credentials-get=(self), "
    "screen-wake-lock=(), serial=(), usb=(), "
    "xr-spatial-tracking=()"
)


def _get(client, demo, row):
    sign_in(client, row.user)
    return client.get(row.path.format(**demo), {k: v.format(**demo) for k, v in row.query.items()})


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


# --- Staff answers: never stored -------------------------------------------------------------


def test_the_table_holds_every_kind_of_staff_answer():
    names = {row.name for row in STAFF_ROWS}
    assert {"queries_staff:inbox", "queries_staff:detail", "dashboard:index"} <= names
    assert {"dashboard:export", "officers:own_profile_edit", "admin:index"} <= names


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in STAFF_ROWS])
def test_every_staff_answer_says_no_store(demo, client, row):
    response = _get(client, demo, row)

    assert response.status_code == row.status
    assert {"no-store", "private"} <= _cache_control(response), response.get("Cache-Control")


def test_a_csv_export_of_residents_queries_says_no_store(demo, client):
    sign_in(client, "opcc")
    response = client.get("/staff/dashboard/export/neighbourhoods.csv")

    assert response["Content-Type"].startswith("text/csv")
    assert "Neighbourhood" in body(response).splitlines()[0]
    assert "no-store" in _cache_control(response)


def test_an_admin_list_of_residents_queries_says_no_store(demo, client):
    sign_in(client, "admin")
    response = client.get("/admin/queries/query/")

    assert response.status_code == 200
    assert "Select query to view" in response.content.decode()
    assert "no-store" in _cache_control(response)


def test_a_staff_page_that_is_not_found_says_no_store(demo, client):
    sign_in(client, "officer")
    response = client.get("/staff/queries/DY-0000-000/")

    assert response.status_code == 404
    assert "no-store" in _cache_control(response)


def test_a_staff_answer_under_a_language_prefix_says_no_store(demo, client):
    """/cy/staff/ redirects a GET to /staff/ and answers a POST with 404: neither may be
    stored."""
    sign_in(client, "officer")

    shown = client.get("/cy/staff/profile/")
    posted = client.post("/cy/staff/away/", {"away_until": ""})

    assert shown["Location"] == "/staff/profile/"
    assert posted.status_code == 404
    assert {"no-store", "private"} <= _cache_control(shown)
    assert {"no-store", "private"} <= _cache_control(posted)


def test_a_public_page_is_not_marked_no_store(demo, client):
    response = client.get("/accessibility/")

    assert response.status_code == 200
    assert "no-store" not in _cache_control(response)


# --- HEAD wherever GET ------------------------------------------------------------------------


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in GET_ROWS])
def test_head_answers_as_get_does_with_no_body(demo, client, row):
    sign_in(client, row.user)
    path = row.path.format(**demo)
    response = client.head(path, {k: v.format(**demo) for k, v in row.query.items()})

    assert response.status_code == row.status, f"HEAD {path} as {row.user or 'anonymous'}"
    assert body(response) == ""
    if row.status == 302:
        assert response["Location"] == row.location.format(**demo)
    if row.status == 200:
        assert response["Content-Type"].startswith(row.content_type)


def test_head_on_the_health_check_reports_without_a_body(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body(response) == ""


# --- Permissions-Policy -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(row, id=row.id)
        for row in ROWS
        if row.name
        in {"neighbourhoods:home", "dashboard:index", "api:force_list", "healthz", "admin:index"}
    ],
)
def test_every_answer_allows_location_to_the_portal_and_nothing_else(demo, client, row):
    response = _get(client, demo, row)

    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_an_error_page_carries_the_permissions_policy_too(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
