"""Registering through the test client: the form, its errors, abuse protection, the
confirmation page, and the cancel link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from meetings.models import Event, Registration
from meetings.services.registrations import registration_create
from meetings.views import CONFIRMATION_SESSION_KEY
from notifications.models import OutboxEmail
from queries.services.resident import query_rate_limit_hit
from tests.factories import EventFactory
from tests.html import element, elements, page_text, texts, title

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(title="Normanton beat meeting", neighbourhood__name="Normanton")


def register_url(event) -> str:
    return reverse("meetings:register", kwargs={"pk": event.pk})


def cancel_url(token: str) -> str:
    return reverse("meetings:registration_cancel", kwargs={"token": token})


def form_data(**changes) -> dict:
    data = {
        "name": "Sam Resident",
        "email": "sam@example.com",
        "accessibility_needs": "",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def send(client, event, ip: str = "192.0.2.1", **changes):
    return client.post(register_url(event), form_data(**changes), REMOTE_ADDR=ip)


def assert_private(response) -> None:
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


# --- The form ----------------------------------------------------------------------------------


def test_form_asks_for_name_email_and_optional_needs(client, event):
    response = client.get(register_url(event))

    page = response.content.decode()
    assert response.status_code == 200
    assertInHTML('<label class="govuk-label" for="id_name">Your name</label>', page)
    assertInHTML('<label class="govuk-label" for="id_email">Email address</label>', page)
    assert "Access needs (optional)" in page
    assert element(page, "form", action=register_url(event))
    assert_private(response)


def test_registering_stores_the_place_and_redirects_to_the_confirmation(client, event):
    response = send(client, event, accessibility_needs="I use a wheelchair.")

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:registration_confirmation")
    registration = Registration.objects.get()
    assert registration.event == event
    assert registration.accessibility_needs == "I use a wheelchair."
    assert OutboxEmail.objects.get().to == ["sam@example.com"]


def test_confirmation_page_names_the_event_and_the_email(client, event):
    send(client, event)

    response = client.get(reverse("meetings:registration_confirmation"))

    page = response.content.decode()
    assert "You are registered" in page
    assert "Normanton beat meeting" in page
    assertInHTML("<strong>sam@example.com</strong>", page)
    assert "Add to calendar (.ics)" in page
    assert_private(response)


def test_confirmation_page_links_to_report_online(client, event, settings):
    settings.REPORT_ONLINE_URL = "https://report.example/crime/"
    send(client, event)

    page = client.get(reverse("meetings:registration_confirmation")).content.decode()

    assert "call 101 or report it online." in page_text(page)
    assertInHTML(
        '<a class="govuk-link" href="https://report.example/crime/">report it online</a>', page
    )


def test_confirmation_without_a_registration_goes_to_the_events_list(client):
    response = client.get(reverse("meetings:registration_confirmation"))

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:list")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter your name"),
        ({"email": ""}, "Enter your email address"),
        ({"email": "sam at example"}, "Enter an email address in the correct format"),
        ({"name": "x" * 201}, "Your name must be 200 characters or fewer"),
        ({"accessibility_needs": "x" * 1001}, "Your access needs must be 1,000 characters"),
        ({"name": "Sam\x00"}, "Null characters are not allowed"),
    ],
)
def test_mistakes_are_listed_in_the_summary_and_nothing_is_stored(client, event, changes, message):
    response = send(client, event, **changes)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert title(page).startswith("Error: ")
    assert Registration.objects.count() == 0


def main_of(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_registering_an_address_again_answers_as_a_first_registration(client, event):
    """The page must not tell anyone that an address is already registered: the rest is said
    by email to that address."""
    first = send(client, event)
    first_page = client.get(first["Location"]).content.decode()

    again = send(client, event, email="SAM@example.com")

    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"]
    again_page = client.get(again["Location"]).content.decode()
    assert main_of(again_page) == main_of(first_page)
    assert "already registered" not in again_page
    assert Registration.objects.count() == 1
    assert OutboxEmail.objects.filter(subject__startswith="You already have a place").count() == 1


def test_full_event_refused_at_the_last_moment_says_so(client, event):
    event.capacity = 1
    event.save()
    form_page = client.get(register_url(event))
    assert "Your name" in form_page.content.decode()
    send(client, event, email="first@example.com", ip="192.0.2.7")

    response = send(client, event, email="second@example.com")

    assert response.status_code == 200
    assert "This event is full" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "This event has been cancelled"),
        ({"capacity": 0}, "This event is full"),
    ],
)
def test_closed_event_shows_why_instead_of_the_form(client, event, change, message):
    Event.objects.filter(pk=event.pk).update(**change)

    page = client.get(register_url(event)).content.decode()

    assert message in page
    assert not elements(page, "*", name="email")


def test_started_event_shows_why_instead_of_the_form(client, event):
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=10)
    )

    page = client.get(register_url(event)).content.decode()

    assert "This event has already started" in page
    assert not elements(page, "*", name="email")


def test_unknown_event_is_a_404(client):
    assert client.get("/events/424242/register/").status_code == 404
    assert client.post("/events/424242/register/", form_data()).status_code == 404


# --- Abuse ----------------------------------------------------------------------------------------


def test_honeypot_is_hidden_and_out_of_the_tab_order(client, event):
    page = client.get(register_url(event)).content.decode()

    hidden = element(page, "label", for_="id_website").parent
    assert hidden.tag == "div"
    assert "govuk-visually-hidden" in hidden.classes
    assert element(page, "input", name="website").attrs["tabindex"] == "-1"


def test_filled_honeypot_shows_the_confirmation_and_stores_nothing(client, event):
    response = send(client, event, website="http://cheap-pills.example")

    assert response.status_code == 302
    assert Registration.objects.count() == 0
    assert OutboxEmail.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "You are registered" in page


def test_rate_limit_per_ip_says_when_to_try_again(client, event, settings):
    settings.REGISTRATION_RATE_LIMIT_PER_IP = 2
    for n in range(2):
        assert send(client, event, email=f"r{n}@example.com").status_code == 302

    response = send(client, event, email="late@example.com")

    assert response.status_code == 429
    assert "You can register again after" in response.content.decode()
    assert Registration.objects.count() == 2


def test_rate_limit_per_email_applies_from_any_address(client, event, settings):
    settings.REGISTRATION_RATE_LIMIT_PER_EMAIL = 1
    other = EventFactory(neighbourhood=event.neighbourhood)
    assert send(client, event, ip="192.0.2.1").status_code == 302

    response = send(client, other, ip="192.0.2.2")

    assert response.status_code == 429
    assert Registration.objects.count() == 1


def test_registrations_do_not_use_up_the_query_allowance(client, event, settings):
    settings.QUERY_RATE_LIMIT_PER_IP = 1
    for n in range(3):
        send(client, event, email=f"r{n}@example.com")

    assert query_rate_limit_hit(ip="192.0.2.1", email="q@example.com") is None


# --- Giving a place back ------------------------------------------------------------------------


@pytest.fixture
def token(event) -> str:
    _, token = registration_create(
        event=event, name="Sam Resident", email="sam@example.com", accessibility_needs=""
    )
    return token


def test_cancel_link_shows_the_event_and_a_button(client, event, token):
    response = client.get(cancel_url(token))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Normanton beat meeting" in page
    assert "Cancel my place" in texts(page, "button")
    assert Registration.objects.get().cancelled_at is None
    assert_private(response)


def test_cancelling_gives_the_place_back(client, event, token):
    response = client.post(cancel_url(token))

    assert response.status_code == 200
    assert "Your place has been cancelled" in response.content.decode()
    assert Registration.objects.get().cancelled_at is not None
    assert_private(response)


def test_used_cancel_link_says_the_place_is_already_cancelled(client, event, token):
    client.post(cancel_url(token))

    for response in (client.get(cancel_url(token)), client.post(cancel_url(token))):
        page = response.content.decode()
        assert response.status_code == 200
        assert "You have already cancelled your place at this event" in page
        assert "Cancel my place" not in texts(page, "button")


def test_cancel_link_of_a_cancelled_event_needs_no_action(client, event, token):
    Event.objects.filter(pk=event.pk).update(
        status=Event.Status.CANCELLED, cancelled_reason="Venue flooded."
    )

    page = client.get(cancel_url(token)).content.decode()

    assert "This event has been cancelled" in page
    assert "Venue flooded." in page
    assert "Cancel my place" not in texts(page, "button")


def test_cancel_link_after_the_event_says_it_has_taken_place(client, event, token):
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2) + datetime.timedelta(hours=1),
    )

    for response in (client.get(cancel_url(token)), client.post(cancel_url(token))):
        assert response.status_code == 200
        assert "This event has already taken place" in response.content.decode()
    assert Registration.objects.get().cancelled_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_cancel_link_gets_a_clear_page(client, method):
    response = getattr(client, method)(cancel_url("x" * 43))

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert_private(response)


def test_malformed_cancel_link_is_a_404(client):
    assert client.get("/events/registrations/short/cancel/").status_code == 404
    assert client.get("/events/registrations/" + "a" * 300 + "/cancel/").status_code == 404


def test_confirmation_session_holds_no_token(client, event):
    send(client, event)

    assert client.session[CONFIRMATION_SESSION_KEY] == {
        "event": event.pk,
        "email": "sam@example.com",
    }
