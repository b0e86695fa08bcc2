"""The public neighbourhood page: shared cache rules, outages, and what outsiders wrote."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from pytest_django.asserts import assertInHTML

from config import caching
from config.roles import Role
from tests.factories import AssignmentFactory, NeighbourhoodFactory
from tests.html import elements, hrefs
from tests.ports import unused_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    return AssignmentFactory(officer__display_name="Priya Sharma").neighbourhood


def test_signed_in_staff_never_get_the_page_cached_for_visitors(
    client, neighbourhood, make_account
):
    url = neighbourhood.get_absolute_url()
    assert "Staff sign in" in client.get(url).content.decode()  # cached for visitors now

    client.force_login(make_account(Role.OFFICER))
    page = client.get(url).content.decode()

    assert "Sign out" in page
    assert "Staff sign in" not in page


def test_a_visitor_with_a_message_waiting_gets_their_own_page(client, neighbourhood):
    url = neighbourhood.get_absolute_url()
    client.get(url)
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Your query has been sent")
    response = client.get("/")
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value

    page = client.get(url).content.decode()

    assert "Your query has been sent" in page


def test_visitors_share_one_cached_page_without_any_token(client, neighbourhood):
    url = neighbourhood.get_absolute_url()
    first = client.get(url)
    second = client.get(url)

    assert first.content == second.content
    assert b"csrfmiddlewaretoken" not in first.content
    assert b"X-CSRFToken" not in first.content
    assert "Cookie" in first["Vary"]


def test_page_and_profile_saves_still_work_when_redis_is_down(client, neighbourhood, settings):
    down = f"redis://127.0.0.1:{unused_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": down,
            "OPTIONS": {"socket_connect_timeout": 1},
        },
        "local": settings.CACHES["local"],
    }
    caching.forget_local_state()
    officer = neighbourhood.assignments.get().officer
    officer.responsibilities = "Still saved with the cache down"
    officer.save(update_fields=["responsibilities", "updated_at"])

    response = client.get(neighbourhood.get_absolute_url())

    assert response.status_code == 200
    assert "Still saved with the cache down" in response.content.decode()


def test_html_in_a_description_is_cleaned_when_shown(client):
    neighbourhood = NeighbourhoodFactory(
        description=(
            '<p>Safe <strong>words</strong></p><img src=x onerror="alert(1)">'
            '<meta http-equiv="refresh" content="0;url=https://evil.example"><script>x()</script>'
        )
    )

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assertInHTML("<p>Safe <strong>words</strong></p>", page)
    assert "onerror" not in page
    assert "evil.example" not in page
    assert "<script>x()" not in page


def test_links_that_are_not_web_addresses_are_not_shown(client):
    neighbourhood = NeighbourhoodFactory(
        social_links={
            "web": "javascript:alert(1)",
            "fax": "01234 567890",
            "facebook": "https://fb.example/x",
        },
        links=[
            {"url": "javascript:alert(2)", "title": "Bad"},
            {"url": "https://ok.example/", "title": "Good"},
        ],
    )

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert "javascript:" not in page
    assert "01234 567890" not in page
    assert "https://fb.example/x" in hrefs(page)
    assert "https://ok.example/" in hrefs(page)
    assert not [shown for shown in elements(page, "*") if shown.text == "Bad"]


def test_admin_cleans_a_description_before_storing_it(client, make_account):
    neighbourhood = NeighbourhoodFactory()
    client.force_login(make_account(Role.ADMINISTRATOR))
    url = f"/admin/neighbourhoods/neighbourhood/{neighbourhood.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data.update(
        description="<p>Hello</p><script>alert(1)</script>",
        boundary='{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}',
        social_links="{}",
        links="[]",
        locations="[]",
        division=neighbourhood.division_id,
        force=neighbourhood.force_id,
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    neighbourhood.refresh_from_db()
    assert neighbourhood.description == "<p>Hello</p>"


def test_boundaries_version_moves_on_only_when_a_boundary_changes(neighbourhood):
    before = caching.boundaries_version()

    neighbourhood.name = "Renamed"
    neighbourhood.save(update_fields=["name", "updated_at"])
    assert caching.boundaries_version() == before

    neighbourhood.boundary = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    neighbourhood.save(update_fields=["boundary", "updated_at"])
    assert caching.boundaries_version() != before
