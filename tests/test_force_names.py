"""The force's name (FORCE_NAME, FORCE_NAME_CY) and the open data licence's
(OPEN_DATA_LICENCE_NAME, OPEN_DATA_LICENCE_NAME_CY) in the reader's language: a Welsh page or
email shows the Welsh where the force set it, and the English marked lang="en" where it did
not. English pages and the APIs keep the English."""

import pytest
from django.utils import translation

from config.settings import base
from dashboards.report_display import report_context
from notifications.models import OutboxEmail
from officers.scopes import FORCE, Scope
from tests.html import elements, texts, title
from tests.queries.test_contact import form_data

pytestmark = pytest.mark.django_db

ENGLISH = "Dyfed-Powys Police"
WELSH = "Heddlu Dyfed-Powys"
HEADER = {"class_": "govuk-generic-header__homepage-link"}


@pytest.fixture
def welsh_name(settings):
    settings.FORCE_NAME = ENGLISH
    settings.FORCE_NAME_CY = WELSH


@pytest.fixture
def no_welsh_name(settings):
    settings.FORCE_NAME = ENGLISH
    settings.FORCE_NAME_CY = ""


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# --- Pages ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("welsh_name")
def test_a_welsh_page_names_the_force_in_welsh_and_an_english_page_in_english(client):
    welsh = page(client, "/cy/")
    english = page(client, "/")

    assert texts(welsh, "a", **HEADER) == [WELSH]
    assert title(welsh).endswith(f"\N{EN DASH} {WELSH}")
    assert f"\N{COPYRIGHT SIGN} {WELSH}" in texts(welsh, "div", class_="govuk-footer__meta-item")
    assert ENGLISH not in welsh
    assert texts(english, "a", **HEADER) == [ENGLISH]
    assert WELSH not in english


@pytest.mark.usefixtures("no_welsh_name")
def test_a_welsh_page_marks_the_english_name_where_the_force_has_no_welsh(client):
    welsh = page(client, "/cy/")

    [header] = elements(welsh, "a", **HEADER)
    assert header.text == ENGLISH
    assert texts(welsh, "span", lang="en").count(ENGLISH) == 2  # the header and the footer
    # A <title> holds text only: the name without markup.
    assert title(welsh).endswith(f"\N{EN DASH} {ENGLISH}")


@pytest.mark.usefixtures("no_welsh_name")
def test_the_english_page_is_unchanged_where_the_force_has_no_welsh(client):
    english = page(client, "/")

    assert texts(english, "a", **HEADER) == [ENGLISH]
    assert ENGLISH not in texts(english, "span", lang="en")


@pytest.mark.usefixtures("welsh_name")
def test_the_welsh_accessibility_statement_names_the_force_in_welsh(client):
    welsh = page(client, "/cy/accessibility/")

    assert f"Mae\N{RIGHT SINGLE QUOTATION MARK}r wefan hon yn cael ei rhedeg gan {WELSH}" in welsh


@pytest.mark.usefixtures("welsh_name")
def test_the_welsh_calendar_feed_is_named_in_welsh(client):
    welsh = client.get("/cy/events/calendar.ics").content.decode()
    english = client.get("/events/calendar.ics").content.decode()

    assert f"X-WR-CALNAME:Digwyddiadau cymdogaeth, {WELSH}" in welsh
    assert f"X-WR-CALNAME:Neighbourhood events, {ENGLISH}" in english


@pytest.mark.usefixtures("welsh_name")
def test_the_force_scope_of_the_dashboards_is_named_in_the_readers_language():
    scope = Scope(key=FORCE, label=ENGLISH, neighbourhood_ids=None)

    with translation.override("cy"):
        assert scope.title == WELSH
    assert scope.title == ENGLISH


# --- The quarterly report ------------------------------------------------------------------------

ROW = {
    "received": 6,
    "responses_due": 6,
    "answered": 6,
    "met": 5,
    "missed": 1,
    "share_met": 5 / 6,
    "median_seconds": 3600,
}


def snapshot(force: dict) -> dict:
    return {
        "schema": 1,
        "quarter": "2026-27-q2",
        "first_day": "2026-07-01",
        "last_day": "2026-09-30",
        "as_at": "2026-10-05T12:00:00+01:00",
        "target_hours": 72,
        "force": force | {"quarter": "2026-27-q2", "label": "Q2 2026-27"} | ROW,
        "divisions": [],
        "trend": [{"quarter": "2026-27-q2", "label": "Q2 2026-27"} | ROW],
        "small_number": 5,
        "furthest": [],
        "not_ranked": 0,
        "abstractions": {"divisions": [], "force_hours": 0},
    }


def test_a_welsh_report_names_the_force_as_its_snapshot_kept_it_in_welsh():
    kept = snapshot({"name": ENGLISH, "name_cy": WELSH})

    with translation.override("cy"):
        assert report_context(kept)["force"]["name"] == WELSH
    assert report_context(kept)["force"]["name"] == ENGLISH


def test_a_welsh_report_written_before_the_welsh_name_marks_the_english():
    kept = snapshot({"name": ENGLISH})

    with translation.override("cy"):
        assert report_context(kept)["force"]["name"] == f'<span lang="en">{ENGLISH}</span>'


# --- The open data licence -----------------------------------------------------------------------


def test_the_welsh_performance_pages_name_the_licence_in_welsh(client, settings):
    settings.OPEN_DATA_LICENCE_NAME = "Open Government Licence v3.0"
    settings.OPEN_DATA_LICENCE_NAME_CY = "Trwydded Llywodraeth Agored v3.0"

    welsh = page(client, "/cy/performance/how-we-count/")
    english = page(client, "/performance/how-we-count/")

    licence = {"href": settings.OPEN_DATA_LICENCE_URL}
    assert texts(welsh, "a", **licence) == ["Trwydded Llywodraeth Agored v3.0"]
    assert texts(english, "a", **licence) == ["Open Government Licence v3.0"]


def test_a_licence_with_no_welsh_name_is_marked_english_on_a_welsh_page(client, settings):
    settings.OPEN_DATA_LICENCE_NAME = "Open Data Commons Attribution Licence"
    settings.OPEN_DATA_LICENCE_NAME_CY = ""

    welsh = page(client, "/cy/performance/how-we-count/")

    assert "Open Data Commons Attribution Licence" in texts(welsh, "span", lang="en")


# --- Emails --------------------------------------------------------------------------------------


def confirmation(client, area, prefix: str) -> OutboxEmail:
    response = client.post(f"{prefix}/neighbourhoods/{area.slug}/contact/", form_data())
    assert response.status_code == 302
    return OutboxEmail.objects.get(to=["sam@example.com"])


@pytest.mark.usefixtures("welsh_name")
@pytest.mark.parametrize(
    ("prefix", "shown", "hidden"), [("/cy", WELSH, ENGLISH), ("", ENGLISH, WELSH)]
)
def test_an_email_names_the_force_in_the_language_it_is_written_in(
    client, area, prefix, shown, hidden
):
    email = confirmation(client, area, prefix)

    assert email.body_text.rstrip().endswith(shown)
    assert f"<p>{shown}</p>" in email.body_html
    assert hidden not in email.body_text + email.body_html


@pytest.mark.usefixtures("no_welsh_name")
def test_a_welsh_email_marks_the_english_name_where_the_force_has_no_welsh(client, area):
    email = confirmation(client, area, "/cy")

    assert f'<p><span lang="en">{ENGLISH}</span></p>' in email.body_html
    # The text body is plain text: the name alone.
    assert email.body_text.rstrip().endswith(ENGLISH)
    assert "<span" not in email.body_text


def test_the_demo_force_has_a_welsh_name_and_the_ogl_its_welsh_title():
    assert base.FORCE_NAME_CY == "Heddlu Swydd Derby (demo)"
    assert base.OPEN_DATA_LICENCE_NAME_CY == "Trwydded Llywodraeth Agored v3.0"
