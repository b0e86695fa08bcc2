"""The resident's private tracking page: their query only, the replies sent to them, a
follow-up that starts a new clock after an answer, and the escalation when no answer came."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.dates import london_time_display
from notifications.models import OutboxEmail
from queries import clock
from queries.models import Query, QueryEvent
from queries.services.resident import query_submit
from tests.factories import AssignmentFactory, OfficerFactory, UserFactory
from tests.html import element, elements, hrefs, texts

pytestmark = pytest.mark.django_db

SENT_AT = datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
# Assignments current from well before the query was sent.
SINCE = datetime.date(2025, 1, 1)


@pytest.fixture
def named():
    return AssignmentFactory(
        start_date=SINCE,
        officer__display_name="Priya Sharma",
        officer__email="priya.sharma@example.police.uk",
        neighbourhood__name="Derby City Centre",
    )


@pytest.fixture
def sergeant(named):
    return AssignmentFactory(
        neighbourhood=named.neighbourhood,
        role="sergeant",
        start_date=SINCE,
        officer__display_name="Mark Riley",
        officer__rank="Sgt",
        officer__email="mark.riley@example.police.uk",
    )


def submit(neighbourhood, message="Cars race down Fox Lane at night.", **fields):
    contact = {
        "name": "Sam Resident",
        "email": "sam@example.com",
        "phone": "01632 960001",
        "contact_preference": "email",
    }
    contact.update(fields)
    with time_machine.travel(SENT_AT, tick=False):
        return query_submit(
            neighbourhood=neighbourhood, topic="road_safety", message=message, **contact
        )


def answer(query: Query, officer, at: datetime.datetime, body="We will patrol Fox Lane.") -> None:
    """An officer's reply as the staff pages record it: a REPLY event that stops the clock."""
    user = officer.user or UserFactory()
    if officer.user is None:
        officer.user = user
        officer.save(update_fields=["user"])
    QueryEvent.objects.create(
        query=query, kind=QueryEvent.Kind.REPLY, author=user, body=body, created_at=at
    )
    changed = clock.stop(query, at, officer)
    query.save(update_fields=changed)


def track_url(token: str, action: str = "track") -> str:
    return reverse(f"queries:{action}", kwargs={"token": token})


# --- Who sees what ----------------------------------------------------------------------------


def test_token_shows_its_own_query_only(client, named):
    mine, my_token = submit(named.neighbourhood, message="Broken street light on Elm Road.")
    theirs, _ = submit(named.neighbourhood, message="Someone keeps parking on my drive.")

    page = client.get(track_url(my_token)).content.decode()

    assert mine.reference in page
    assert "Broken street light on Elm Road." in page
    assert theirs.reference not in page
    assert "Someone keeps parking on my drive." not in page


def test_page_shows_status_neighbourhood_and_due_time_in_london(client, named):
    _, token = submit(named.neighbourhood)

    with time_machine.travel(SENT_AT + HOUR, tick=False):
        page = client.get(track_url(token)).content.decode()

    assert "Derby City Centre" in page
    assert "Waiting for a response" in page
    assert "Road safety" in page
    # 09:00 UTC is 10am in London in June; due 72 hours later.
    assert "Friday 13 June at 10am" in page


def test_wrong_token_is_not_found(client, named):
    submit(named.neighbourhood)

    response = client.get(track_url("x" * 43))

    assert response.status_code == 404
    assert "This link to a query does not work" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "abcdefghijklmnopqrstu.vwxyz",  # a character no token has
        "abcdefghijklmnop%21qrstuvwxyz",
        "abcdefghijklmnop+qrstuvwxyz",
        "short-token",  # shorter than any token
        "a" * 129,  # longer than any token
    ],
)
@pytest.mark.parametrize("action", ["", "reply/", "escalate/"])
def test_token_of_the_wrong_shape_is_not_found(client, named, token, action):
    submit(named.neighbourhood)
    url = f"/queries/track/{token}/{action}"

    response = client.post(url) if action else client.get(url)

    assert response.status_code == 404


def test_token_shape_is_refused_before_the_database_is_asked(
    client, named, django_assert_num_queries
):
    submit(named.neighbourhood)

    with django_assert_num_queries(0):
        response = client.get("/queries/track/abc.def/")

    assert response.status_code == 404


def test_contact_details_are_not_shown_on_the_tracking_page(client, named):
    _, token = submit(named.neighbourhood)

    page = client.get(track_url(token)).content.decode()

    assert "sam@example.com" not in page
    assert "01632 960001" not in page


def test_internal_notes_and_routing_never_show(client, named):
    query, token = submit(named.neighbourhood)
    QueryEvent.objects.create(
        query=query,
        kind=QueryEvent.Kind.NOTE,
        body="Internal: the caller is known to us.",
        created_at=timezone.now(),
    )
    QueryEvent.objects.create(
        query=query, kind=QueryEvent.Kind.REMINDER, body="Reminder sent", created_at=timezone.now()
    )

    page = client.get(track_url(token)).content.decode()

    assert "Internal: the caller is known to us." not in page
    assert "Reminder sent" not in page
    assert "Named officer:" not in page


def test_reply_shows_the_officers_public_name_and_rank(client, named):
    query, token = submit(named.neighbourhood)
    answer(query, named.officer, SENT_AT + 5 * HOUR, body="We will patrol Fox Lane this week.")

    page = client.get(track_url(token)).content.decode()

    assert "Reply from Priya Sharma, Police Constable" in page
    assert "We will patrol Fox Lane this week." in page
    assert "Answered" in page


def test_reply_by_someone_without_a_profile_is_from_the_team(client, named):
    query, token = submit(named.neighbourhood)
    QueryEvent.objects.create(
        query=query,
        kind=QueryEvent.Kind.REPLY,
        author=UserFactory(username="admin-user"),
        body="Thank you, we are looking into it.",
        created_at=SENT_AT + HOUR,
    )

    page = client.get(track_url(token)).content.decode()

    assert "Reply from Your neighbourhood team" in page
    assert "admin-user" not in page


def test_tracking_page_has_private_headers_and_noindex(client, named):
    _, token = submit(named.neighbourhood)

    response = client.get(track_url(token))

    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert [m.attrs["content"] for m in elements(response.content, "meta", name="robots")] == [
        "noindex"
    ]


def test_follow_up_with_errors_keeps_private_headers(client, named):
    _, token = submit(named.neighbourhood)

    response = client.post(track_url(token, "track_reply"), {"message": ""})

    assert response.status_code == 200
    assert "Enter your message" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_tracking_page_uses_a_fixed_number_of_sql_queries(
    client, named, django_assert_max_num_queries
):
    query, token = submit(named.neighbourhood)
    for number in range(15):
        officer = OfficerFactory(user=UserFactory())
        at = SENT_AT + (2 * number + 1) * HOUR
        QueryEvent.objects.create(
            query=query,
            kind=QueryEvent.Kind.REPLY,
            author=officer.user,
            body=f"Reply {number}",
            created_at=at,
        )
        QueryEvent.objects.create(
            query=query,
            kind=QueryEvent.Kind.RESIDENT_MESSAGE,
            body=f"Follow-up {number}",
            created_at=at + HOUR,
        )

    with django_assert_max_num_queries(3):
        response = client.get(track_url(token))

    assert response.status_code == 200
    assert response.content.decode().count("Reply from Officer") == 15


# --- Follow-up messages -----------------------------------------------------------------------


def test_follow_up_after_an_answer_starts_clock_two_due_72_hours_later(client, named):
    query, token = submit(named.neighbourhood)
    answer(query, named.officer, SENT_AT + 20 * HOUR)
    follow_up_at = SENT_AT + 50 * HOUR

    with time_machine.travel(follow_up_at, tick=False):
        response = client.post(
            track_url(token, "track_reply"), {"message": "It is still happening."}
        )

    query.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == track_url(token)
    assert query.clock == 2
    assert query.status == Query.Status.OPEN
    assert query.clock_started_at == follow_up_at
    assert query.due_at == follow_up_at + datetime.timedelta(hours=72)
    assert query.next_escalation_at is not None
    message = query.events.get(kind=QueryEvent.Kind.RESIDENT_MESSAGE)
    assert message.body == "It is still happening."
    assert message.created_at == follow_up_at


def test_follow_up_while_open_keeps_the_running_clock(client, named):
    query, token = submit(named.neighbourhood)
    before = (query.clock, query.clock_started_at, query.due_at, query.next_escalation_at)

    with time_machine.travel(SENT_AT + 30 * HOUR, tick=False):
        client.post(track_url(token, "track_reply"), {"message": "Also on Saturday nights."})

    query.refresh_from_db()
    assert (query.clock, query.clock_started_at, query.due_at, query.next_escalation_at) == before
    assert query.events.filter(kind=QueryEvent.Kind.RESIDENT_MESSAGE).count() == 1


def test_follow_up_is_shown_on_the_page_with_a_confirmation(client, named):
    _, token = submit(named.neighbourhood)

    response = client.post(
        track_url(token, "track_reply"), {"message": "One more <detail>."}, follow=True
    )

    page = response.content.decode()
    assert "Your message has been sent to the neighbourhood team" in page
    assert "One more &lt;detail&gt;." in page


def test_follow_up_emails_the_assigned_officer_without_resident_details(client, named):
    query, token = submit(named.neighbourhood)
    OutboxEmail.objects.all().delete()
    assert query.assigned_officer == named.officer

    client.post(track_url(token, "track_reply"), {"message": "It is still happening."})

    email = OutboxEmail.objects.get()
    assert email.to == ["priya.sharma@example.police.uk"]
    assert query.reference in email.subject
    assert "sam@example.com" not in email.body_text
    assert "Sam Resident" not in email.body_text


def test_follow_up_after_an_answer_tells_the_officer_a_new_clock_started(client, named):
    query, token = submit(named.neighbourhood)
    answer(query, named.officer, SENT_AT + 20 * HOUR)
    OutboxEmail.objects.all().delete()

    with time_machine.travel(SENT_AT + 50 * HOUR, tick=False):
        client.post(track_url(token, "track_reply"), {"message": "It is still happening."})

    email = OutboxEmail.objects.get()
    assert "a new response clock has started" in email.body_text
    assert "a new response clock has started" in email.body_html
    assert "still waiting for a reply" not in email.body_text


def test_second_follow_up_while_clock_two_runs_says_it_is_still_waiting(client, named):
    query, token = submit(named.neighbourhood)
    answer(query, named.officer, SENT_AT + 20 * HOUR)
    with time_machine.travel(SENT_AT + 50 * HOUR, tick=False):
        client.post(track_url(token, "track_reply"), {"message": "It is still happening."})
    OutboxEmail.objects.all().delete()

    with time_machine.travel(SENT_AT + 60 * HOUR, tick=False):
        client.post(track_url(token, "track_reply"), {"message": "And again tonight."})

    query.refresh_from_db()
    email = OutboxEmail.objects.get()
    assert query.clock == 2
    assert "The query is still waiting for a reply" in email.body_text
    assert "The query is still waiting for a reply" in email.body_html
    assert "new response clock" not in email.body_text


def test_follow_up_without_the_form_token_is_refused(named):
    query, token = submit(named.neighbourhood)
    forger = Client(enforce_csrf_checks=True)

    response = forger.post(track_url(token, "track_reply"), {"message": "Forged."})

    assert response.status_code == 403
    assert query.events.filter(kind=QueryEvent.Kind.RESIDENT_MESSAGE).count() == 0


def test_closed_query_takes_no_follow_up_and_offers_a_new_query(client, named):
    query, token = submit(named.neighbourhood)
    Query.objects.filter(pk=query.pk).update(status=Query.Status.CLOSED, closed_at=SENT_AT + HOUR)

    page = client.get(track_url(token)).content.decode()
    response = client.post(track_url(token, "track_reply"), {"message": "Hello?"})

    assert "This query is closed" in page
    assert reverse("queries:contact", kwargs={"slug": named.neighbourhood.slug}) in hrefs(page)
    assert not elements(page, "*", action=track_url(token, "track_reply"))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This query is closed. Send a new query instead"
    ]
    assert not query.events.filter(kind=QueryEvent.Kind.RESIDENT_MESSAGE).exists()


# --- Recourse: escalating an overdue query ----------------------------------------------------


def test_escalation_is_not_offered_before_the_due_time(client, named, sergeant):
    query, token = submit(named.neighbourhood)

    with time_machine.travel(query.due_at, tick=False):
        page = client.get(track_url(token)).content.decode()
        response = client.post(track_url(token, "track_escalate"))

    query.refresh_from_db()
    assert "Escalate your query" not in page
    assert response.status_code == 302
    assert query.resident_escalated_at is None
    assert not OutboxEmail.objects.filter(to__contains=["mark.riley@example.police.uk"]).exists()


def test_escalation_is_offered_once_the_due_time_has_passed(client, named, sergeant):
    query, token = submit(named.neighbourhood)

    with time_machine.travel(query.due_at + datetime.timedelta(minutes=1), tick=False):
        page = client.get(track_url(token)).content.decode()

    assert "We have not replied in time" in page
    assert "Escalate your query" in page
    assert element(page, "form", action=track_url(token, "track_escalate"))


def test_escalation_emails_the_sergeant_and_opcc_once(client, named, sergeant, settings):
    query, token = submit(named.neighbourhood)
    OutboxEmail.objects.all().delete()
    escalated_at = query.due_at + HOUR

    with time_machine.travel(escalated_at, tick=False):
        first = client.post(track_url(token, "track_escalate"), follow=True)
        second = client.post(track_url(token, "track_escalate"), follow=True)

    query.refresh_from_db()
    assert query.resident_escalated_at == escalated_at
    assert query.events.filter(kind=QueryEvent.Kind.RESIDENT_ESCALATION).count() == 1
    email = OutboxEmail.objects.get()
    assert email.to == ["mark.riley@example.police.uk", settings.OPCC_CONTACT_EMAIL]
    assert query.reference in email.subject
    assert "escalated" in first.content.decode()
    assert "You have already escalated this query" in second.content.decode()
    assert "Escalate your query" not in texts(second, "button")


def test_escalation_email_carries_no_resident_contact_details(client, named, sergeant):
    query, token = submit(named.neighbourhood)
    OutboxEmail.objects.all().delete()

    with time_machine.travel(query.due_at + HOUR, tick=False):
        client.post(track_url(token, "track_escalate"))

    email = OutboxEmail.objects.get()
    for detail in ["Sam Resident", "sam@example.com", "01632 960001", "Fox Lane"]:
        assert detail not in email.subject
        assert detail not in email.body_text
        assert detail not in email.body_html


def test_escalation_is_not_offered_once_answered(client, named, sergeant):
    query, token = submit(named.neighbourhood)
    answer(query, named.officer, query.due_at + HOUR)

    with time_machine.travel(query.due_at + 2 * HOUR, tick=False):
        page = client.get(track_url(token)).content.decode()
        client.post(track_url(token, "track_escalate"))

    query.refresh_from_db()
    assert "Escalate your query" not in page
    assert query.resident_escalated_at is None


# --- Limits on follow-ups ----------------------------------------------------------------------


def test_follow_ups_on_one_query_are_limited_and_email_no_one_past_the_limit(
    client, named, settings
):
    """Each follow-up emails the officers: thirty in a row used to send thirty staff emails."""
    settings.FOLLOW_UP_RATE_LIMIT_PER_QUERY = 3
    query, token = submit(named.neighbourhood)
    emails_before = OutboxEmail.objects.count()

    with time_machine.travel(SENT_AT + HOUR, tick=False):
        answers = [
            client.post(
                track_url(token, "track_reply"),
                {"message": f"It happened again, time {n}."},
                REMOTE_ADDR=f"192.0.2.{n + 1}",
            )
            for n in range(5)
        ]

    assert [response.status_code for response in answers] == [302, 302, 302, 429, 429]
    page = answers[3].content.decode()
    window_end = london_time_display(SENT_AT + 2 * HOUR, SENT_AT + HOUR)
    assert f"You can send another message after {window_end}" in page
    assert "govuk-error-summary" in page
    assert query.events.filter(kind=QueryEvent.Kind.RESIDENT_MESSAGE).count() == 3
    staff_emails = OutboxEmail.objects.count() - emails_before
    assert staff_emails <= 3


def test_follow_ups_from_one_address_are_limited_across_queries(client, named, settings):
    settings.FOLLOW_UP_RATE_LIMIT_PER_IP = 2
    tokens = [submit(named.neighbourhood, email=f"r{n}@example.com")[1] for n in range(3)]

    with time_machine.travel(SENT_AT + HOUR, tick=False):
        statuses = [
            client.post(
                track_url(token, "track_reply"), {"message": "More."}, REMOTE_ADDR="192.0.2.9"
            ).status_code
            for token in tokens
        ]

    assert statuses == [302, 302, 429]
