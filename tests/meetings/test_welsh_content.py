"""Events and outcomes in Welsh: the Welsh officers write shows on the Welsh pages and in the
Welsh calendar feeds, the English marked lang="en" where no Welsh is written; the staff forms
ask for it beside the English only where the force has Welsh switched on."""

import datetime

import icalendar
import pytest
from django.test import override_settings
from pytest_django.asserts import assertInHTML

from config.dates import LONDON
from meetings.models import Event, Outcome
from officers.models import Assignment, Rank
from tests.factories import AssignmentFactory, EventFactory, OfficerFactory
from tests.fixtures.clock import london
from tests.form_data import with_date_boxes
from tests.html import element, elements, link_texts, title

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 9, 14, 9, tzinfo=LONDON)
ENGLISH_ONLY = override_settings(LANGUAGES=[("en-gb", "English")])


@pytest.fixture
def priya(area, officer_account, client):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    client.force_login(officer_account)
    return officer_account


@pytest.fixture
def event(area):
    return EventFactory(
        neighbourhood=area,
        title="Normanton beat meeting",
        title_cy="Cyfarfod bro Normanton",
        description="Tell us what matters.",
        description_cy="",
        venue_name="Normanton Community Centre",
        venue_name_cy="Canolfan Gymunedol Normanton",
        address="12 Browning Street",
        postcode="DE23 6AA",
        starts_at=london(2026, 10, 6, 19),
        ends_at=london(2026, 10, 6, 20, 30),
    )


def text(response) -> str:
    return response.content.decode()


def form_data(area, **changes) -> dict:
    data = {
        "neighbourhood": area.pk,
        "event_type": Event.Type.BEAT_MEETING,
        "title": "Normanton beat meeting",
        "description": "Tell us what matters.",
        "date": "2026-10-06",
        "start_time": "7pm",
        "end_time": "20:30",
        "venue_name": "Normanton Community Centre",
        "address": "",
        "postcode": "",
        "accessibility_notes": "",
        "online_url": "",
        "capacity": "",
    }
    return with_date_boxes({**data, **changes}, "date")


# --- Residents' pages ----------------------------------------------------------------------------


def test_a_welsh_event_page_shows_the_welsh_and_marks_the_english_it_falls_back_to(client, event):
    page = text(client.get(f"/cy/events/{event.pk}/"))

    assertInHTML('<h1 class="govuk-heading-l">Cyfarfod bro Normanton</h1>', page)
    assert title(page).startswith("Cyfarfod bro Normanton")
    assertInHTML('<div class="govuk-body" lang="en"><p>Tell us what matters.</p></div>', page)
    assert "Canolfan Gymunedol Normanton" in page
    assertInHTML('<span lang="en">12 Browning Street</span>', page)
    # The neighbourhood has no Welsh name: its English one is marked.
    assertInHTML('<span lang="en">Normanton</span>', page)


def test_the_english_event_page_shows_the_english_alone(client, event):
    page = text(client.get(f"/events/{event.pk}/"))

    assertInHTML('<h1 class="govuk-heading-l">Normanton beat meeting</h1>', page)
    assertInHTML('<div class="govuk-body"><p>Tell us what matters.</p></div>', page)
    assert "Cyfarfod" not in page
    assert not elements(element(page, "body"), "*", lang="en")


def test_the_welsh_events_list_shows_welsh_titles_and_venues(client, event):
    EventFactory(neighbourhood=event.neighbourhood, title="Street briefing", venue_name="")

    page = text(client.get("/cy/events/"))

    assert "Cyfarfod bro Normanton" in link_texts(page)
    english = {span.text: span.parent for span in elements(page, "span", lang="en")}
    assert english["Street briefing"].tag == "a"
    assert english["Street briefing"].text == "Street briefing"
    assert "Canolfan Gymunedol Normanton, 12 Browning Street" in english["12 Browning Street"].text


def test_a_welsh_outcome_shows_on_the_event_and_neighbourhood_pages(client, area):
    held = EventFactory(
        neighbourhood=area,
        title="September beat meeting",
        status=Event.Status.HELD,
        starts_at=london(2026, 9, 1, 19),
        ends_at=london(2026, 9, 1, 20),
    )
    Outcome.objects.create(
        event=held,
        attendance=12,
        summary="We talked about parking.",
        summary_cy="Buom yn siarad am barcio.",
        issues_raised="Parking on pavements\nLitter",
        issues_raised_cy="",
    )

    event_page = text(client.get(f"/cy/events/{held.pk}/"))
    area_page = text(client.get("/cy/neighbourhoods/normanton/"))

    assertInHTML('<div class="govuk-body"><p>Buom yn siarad am barcio.</p></div>', event_page)
    assertInHTML(
        '<ul class="govuk-list govuk-list--bullet"><li><span lang="en">Parking on pavements</span>'
        '</li><li><span lang="en">Litter</span></li></ul>',
        event_page,
    )
    assert "Buom yn siarad am barcio." in area_page
    assertInHTML('<li><span lang="en">Litter</span></li>', area_page)


# --- Calendar feeds ------------------------------------------------------------------------------


def _vevent(body: bytes) -> icalendar.Event:
    return next(iter(icalendar.Calendar.from_ical(body).walk("VEVENT")))


def test_the_welsh_calendar_file_has_the_welsh_summary_and_location(client, event):
    response = client.get(f"/cy/events/{event.pk}/calendar.ics")

    vevent = _vevent(response.content)
    assert str(vevent["summary"]) == "Cyfarfod bro Normanton"
    # No Welsh description is written: the English, with the Welsh page's address.
    assert str(vevent["description"]).startswith("Tell us what matters.")
    assert f"/cy/events/{event.pk}/" in str(vevent["description"])
    assert str(vevent["location"]) == ("Canolfan Gymunedol Normanton, 12 Browning Street, DE23 6AA")


def test_the_welsh_neighbourhood_feed_is_in_welsh_and_the_english_one_is_not(client, event):
    event.description_cy = "Dywedwch wrthym beth sy’n bwysig."
    event.save()

    welsh = _vevent(client.get("/cy/neighbourhoods/normanton/events.ics").content)
    english = _vevent(client.get("/neighbourhoods/normanton/events.ics").content)

    assert str(welsh["summary"]) == "Cyfarfod bro Normanton"
    assert str(welsh["description"]).startswith("Dywedwch wrthym beth sy’n bwysig.")
    assert str(english["summary"]) == "Normanton beat meeting"
    assert str(english["description"]).startswith("Tell us what matters.")
    assert str(english["location"]) == ("Normanton Community Centre, 12 Browning Street, DE23 6AA")


# --- Staff forms ---------------------------------------------------------------------------------


def test_the_event_form_asks_for_the_welsh_beside_the_english(client, area, priya):
    page = text(client.get("/staff/events/new/"))

    for name in ("title", "description", "venue_name", "address"):
        assert element(page, "*", name=f"{name}_cy").attrs.get("lang") == "cy", name
    halves = [
        elements(half, "*", name=True)[0].attrs["name"]
        for half in elements(page, "div", class_="govuk-grid-column-one-half")
        if elements(half, "*", name=True)
    ]
    assert halves[:2] == ["title", "title_cy"]
    assert "Welsh (Cymraeg)" in page


def test_staff_write_the_welsh_title_and_residents_see_it_on_the_welsh_page(client, area, priya):
    response = client.post(
        "/staff/events/new/",
        form_data(area, title_cy="Cyfarfod bro Normanton", venue_name_cy="Canolfan Normanton"),
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.title, event.title_cy) == ("Normanton beat meeting", "Cyfarfod bro Normanton")
    welsh = text(client.get(f"/cy/events/{event.pk}/"))
    assertInHTML('<h1 class="govuk-heading-l">Cyfarfod bro Normanton</h1>', welsh)
    assert "Canolfan Normanton" in welsh


def test_editing_an_event_keeps_and_changes_its_welsh(client, area, priya, event):
    response = client.post(
        f"/staff/events/{event.pk}/edit/",
        form_data(area, title_cy="Cyfarfod bro newydd", venue_name_cy=""),
    )

    event.refresh_from_db()
    assert response.status_code == 302
    assert event.title_cy == "Cyfarfod bro newydd"
    assert event.venue_name_cy == ""


@ENGLISH_ONLY
def test_an_english_only_force_s_event_form_has_no_welsh_and_ignores_a_posted_title_cy(
    client, area, priya
):
    page = text(client.get("/staff/events/new/"))
    response = client.post("/staff/events/new/", form_data(area, title_cy="Cyfarfod"))

    assert "_cy" not in page
    assert not elements(page, "*", lang="cy")
    assert response.status_code == 302
    assert Event.objects.get().title_cy == ""


def test_the_outcome_form_takes_the_welsh_summary(client, area, priya):
    held = EventFactory(
        neighbourhood=area, starts_at=london(2026, 9, 1, 19), ends_at=london(2026, 9, 1, 20)
    )

    response = client.post(
        f"/staff/events/{held.pk}/outcome/",
        {
            "attendance": "9",
            "summary": "We talked about parking.",
            "summary_cy": "Buom yn siarad am barcio.",
            "issues_raised": "",
            "issues_raised_cy": "Parcio ar y palmant",
        },
    )

    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.summary_cy == "Buom yn siarad am barcio."
    assert outcome.issues_raised_cy == "Parcio ar y palmant"
