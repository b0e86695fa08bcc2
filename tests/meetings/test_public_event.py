"""An event's public page: everything a resident needs to go, and what became of it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from config.dates import LONDON
from meetings.models import Event, Outcome, Registration
from officers.models import Rank
from tests.factories import EventFactory, OfficerFactory, PriorityFactory
from tests.html import element, hrefs, links, page_text, texts, title

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(
        title="Normanton beat meeting",
        neighbourhood__name="Normanton",
        neighbourhood__slug="normanton",
        description="Tell us what matters where you live.",
        venue_name="Normanton Community Centre",
        address="12 Browning Street, Derby",
        postcode="DE23 6AA",
        step_free_access=True,
        hearing_loop=False,
        parking=True,
        accessibility_notes="Accessible toilet on the ground floor.",
        organiser=OfficerFactory(display_name="Priya Sharma", rank=Rank.PCSO),
        starts_at=datetime.datetime(2030, 10, 1, 19, tzinfo=LONDON),
        ends_at=datetime.datetime(2030, 10, 1, 20, 30, tzinfo=LONDON),
    )


def page_of(client, event) -> str:
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_page_says_when_and_where(client, event):
    page = page_of(client, event)

    assertInHTML('<h1 class="govuk-heading-l">Normanton beat meeting</h1>', page)
    assert "Tuesday 1 October 2030 at 7pm" in texts(page, "time")
    assert "Tuesday 1 October 2030 at 7pm to 8:30pm" in page_text(page)
    assertInHTML(
        '<dd class="govuk-summary-list__value">'
        "Normanton Community Centre<br>12 Browning Street, Derby<br>DE23 6AA</dd>",
        page,
    )
    assert "Tell us what matters where you live." in page


def test_page_gives_accessibility_in_words(client, event):
    page = page_of(client, event)

    assertInHTML(
        '<div class="govuk-summary-list__row">'
        '<dt class="govuk-summary-list__key">Step-free access</dt>'
        '<dd class="govuk-summary-list__value">Yes</dd></div>',
        page,
    )
    assertInHTML(
        '<div class="govuk-summary-list__row">'
        '<dt class="govuk-summary-list__key">Hearing loop</dt>'
        '<dd class="govuk-summary-list__value">No</dd></div>',
        page,
    )
    assertInHTML(
        '<div class="govuk-summary-list__row">'
        '<dt class="govuk-summary-list__key">Parking</dt>'
        '<dd class="govuk-summary-list__value">Yes</dd></div>',
        page,
    )
    assert "Accessible toilet on the ground floor." in page


def test_page_names_the_officer_running_it_with_a_link_to_their_profile(client, event):
    page = page_of(client, event)

    assertInHTML(
        '<dd class="govuk-summary-list__value">'
        f'<a class="govuk-link" href="{event.organiser.get_absolute_url()}">Priya Sharma</a>, '
        "Police Community Support Officer</dd>",
        page,
    )


def test_page_links_to_the_neighbourhood_and_the_calendar_file(client, event):
    page = page_of(client, event)

    assert ("Normanton", f"{event.neighbourhood.get_absolute_url()}") in links(page)
    ics = reverse("meetings:event_ics", kwargs={"pk": event.pk})
    assert ("Add to calendar (.ics)", f"{ics}") in links(page)


def test_joining_link_is_shown_only_when_set(client, event):
    assert "Join online" not in page_of(client, event)

    event.online_url = "https://meet.example.com/normanton"
    event.save()

    page = page_of(client, event)
    assert element(page, "a", href="https://meet.example.com/normanton", rel="noopener noreferrer")


def test_a_joining_link_that_is_not_a_web_address_is_not_linked(client, event):
    event.online_url = "javascript:alert(1)"
    Event.objects.filter(pk=event.pk).update(online_url=event.online_url)

    page = page_of(client, event)

    assert "javascript:" not in page


def test_upcoming_scheduled_event_offers_registration(client, event):
    page = page_of(client, event)

    register = reverse("meetings:register", kwargs={"pk": event.pk})
    assert register in hrefs(page)
    assert "Register for this event" in page


def test_places_left_are_shown_when_there_is_a_capacity(client, event):
    event.capacity = 30
    event.save()
    Registration.objects.create(event=event, name="A", email="a@example.com", cancel_token_hash="a")

    assert "29 of 30 places left" in page_of(client, event)


def test_full_event_says_so_and_offers_no_registration(client, event):
    event.capacity = 1
    event.save()
    Registration.objects.create(event=event, name="A", email="a@example.com", cancel_token_hash="a")

    page = page_of(client, event)

    assert "No places left" in page
    assert "Register for this event" not in page


def test_cancelled_event_says_so_with_the_reason(client, event):
    event.status = Event.Status.CANCELLED
    event.cancelled_reason = "The community centre is closed for repairs."
    event.save()

    page = page_of(client, event)

    assert "This event has been cancelled" in page
    assert "The community centre is closed for repairs." in page
    assert "Register for this event" not in page
    assert title(page).startswith("Cancelled: Normanton beat meeting")


def test_past_event_offers_no_registration(client, event):
    event.starts_at = timezone.now() - datetime.timedelta(days=3)
    event.ends_at = event.starts_at + datetime.timedelta(hours=1)
    event.save()

    page = page_of(client, event)

    assert "This event has finished." in page
    assert "Register for this event" not in page


def test_held_event_shows_its_outcome(client, event):
    event.starts_at = timezone.now() - datetime.timedelta(days=3)
    event.ends_at = event.starts_at + datetime.timedelta(hours=1)
    event.status = Event.Status.HELD
    event.save()
    outcome = Outcome.objects.create(
        event=event,
        attendance=23,
        summary="Residents raised parking and speeding.",
        issues_raised="Parking on Browning Street\nSpeeding on Osmaston Road",
    )
    outcome.priorities.add(
        PriorityFactory(neighbourhood=event.neighbourhood, issue="Speeding on Osmaston Road")
    )

    page = page_of(client, event)

    assert "What happened: you said, we did" in page
    assert "23" in page
    assert "Residents raised parking and speeding." in page
    assertInHTML("<li>Parking on Browning Street</li>", page)
    assertInHTML("<li>Speeding on Osmaston Road (open)</li>", page)


def test_page_runs_a_fixed_number_of_queries(client, event, django_assert_max_num_queries):
    event.status = Event.Status.HELD
    event.save()
    outcome = Outcome.objects.create(event=event, attendance=5, summary="Held.")
    outcome.priorities.add(*PriorityFactory.create_batch(20, neighbourhood=event.neighbourhood))
    Registration.objects.bulk_create(
        Registration(event=event, name="R", email=f"r{n}@example.com", cancel_token_hash=f"{n}")
        for n in range(50)
    )

    with django_assert_max_num_queries(2):
        response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Normanton beat meeting" in page
    assert "Held." in page


def test_unknown_event_is_a_404(client):
    assert client.get("/events/999999/").status_code == 404
