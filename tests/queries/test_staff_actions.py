"""Reply, note, reassign and close: what each changes, records and emails."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertInHTML

from config.roles import Role
from notifications.models import OutboxEmail
from officers.models import Assignment, Rank
from queries.models import ContactPreference, Query, QueryEvent
from queries.services.staff import query_close, query_note, query_reassign, query_reply
from tests.factories import AssignmentFactory, OfficerFactory
from tests.html import texts, title
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SUBMITTED = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # 10:00 in London (BST)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def priya(area, officer_account):
    officer = OfficerFactory(
        user=officer_account, display_name="Priya Sharma", email="priya@example.police.uk"
    )
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return officer


@pytest.fixture
def grace(area):
    officer = OfficerFactory(display_name="Grace Whitfield", email="grace@example.police.uk")
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.TEAM_MEMBER)
    return officer


@pytest.fixture
def sergeant(area, supervisor_account):
    officer = OfficerFactory(user=supervisor_account, display_name="Mark Riley", rank=Rank.SGT)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.SERGEANT)
    return supervisor_account


@pytest.fixture
def query(area, priya):
    return QueryFactory(
        neighbourhood=area,
        assigned_officer=priya,
        submitted_at=SUBMITTED,
        name="Winifred Oakenshaw",
        email="winifred@example.com",
        phone="07700 900123",
    )


def test_reply_within_the_target_stops_the_clock_and_records_it_met(query, priya):
    query_reply(query=query, by=priya.user, message="We will patrol.", now=SUBMITTED + 5 * HOUR)

    query.refresh_from_db()
    assert query.status == Query.Status.ANSWERED
    assert query.next_escalation_at is None
    assert query.next_escalation_step == ""
    assert query.first_response_at == SUBMITTED + 5 * HOUR
    assert query.first_response_seconds == 5 * 3600
    assert query.first_response_met_target is True
    assert query.first_response_officer == priya


def test_reply_after_the_target_records_it_missed(query, priya):
    query_reply(
        query=query, by=priya.user, message="Sorry for the wait.", now=SUBMITTED + 80 * HOUR
    )

    query.refresh_from_db()
    assert query.status == Query.Status.ANSWERED
    assert query.first_response_met_target is False
    assert query.first_response_seconds == 80 * 3600


def test_reply_exactly_at_the_deadline_meets_the_target(query, priya):
    query_reply(query=query, by=priya.user, message="On time.", now=query.due_at)

    query.refresh_from_db()
    assert query.first_response_met_target is True


def test_reply_sends_the_resident_one_email_with_the_reply_and_reference(query, priya):
    query_reply(query=query, by=priya.user, message="We will patrol on Friday.")

    email = OutboxEmail.objects.get()
    assert email.to == ["winifred@example.com"]
    assert email.query_link.query == query
    assert query.reference in email.subject
    assert "We will patrol on Friday." in email.body_text
    assert "We will patrol on Friday." in email.body_html
    assert "link in your first email" in email.body_text
    assert query.reference in email.body_text
    assert "Police Constable Priya Sharma" in email.body_text


def test_reply_email_escapes_html_in_the_html_part(query, priya):
    query_reply(query=query, by=priya.user, message="<b>Patrols</b> & checks")

    email = OutboxEmail.objects.get()
    assert "<b>Patrols</b> & checks" in email.body_text
    assert "&lt;b&gt;Patrols&lt;/b&gt; &amp; checks" in email.body_html


def test_second_reply_keeps_the_first_response(query, priya, grace):
    query_reply(query=query, by=priya.user, message="First.", now=SUBMITTED + HOUR)
    query_reply(query=query, by=priya.user, message="Second.", now=SUBMITTED + 90 * HOUR)

    query.refresh_from_db()
    assert query.first_response_at == SUBMITTED + HOUR
    assert query.first_response_met_target is True
    assert OutboxEmail.objects.count() == 2


def test_reply_to_a_resident_without_email_is_recorded_and_sends_nothing(area, priya):
    query = QueryFactory(
        neighbourhood=area,
        assigned_officer=priya,
        email="",
        phone="07700 900456",
        contact_preference=ContactPreference.PHONE,
    )

    query_reply(query=query, by=priya.user, message="Phoned: patrols arranged.")

    query.refresh_from_db()
    assert query.status == Query.Status.ANSWERED
    assert QueryEvent.objects.filter(query=query, kind=QueryEvent.Kind.REPLY).exists()
    assert not OutboxEmail.objects.exists()


def test_reply_page_tells_the_officer_to_phone_a_resident_without_email(client, area, priya):
    query = QueryFactory(
        neighbourhood=area,
        assigned_officer=priya,
        email="",
        phone="07700 900456",
        contact_preference=ContactPreference.PHONE,
    )
    client.force_login(priya.user)

    before = client.get(query.get_absolute_url()).content.decode()
    response = client.post(
        f"{query.get_absolute_url()}reply/", {"reply-message": "Patrols arranged."}, follow=True
    )

    assert "Phone them on 07700 900456" in before
    assert "Phone the resident on 07700 900456" in response.content.decode()


def test_reply_page_says_the_reply_was_emailed(client, query, priya):
    client.force_login(priya.user)

    response = client.post(
        f"{query.get_absolute_url()}reply/", {"reply-message": "Patrols arranged."}, follow=True
    )

    assert "Your reply was emailed to the resident" in response.content.decode()


def test_empty_reply_shows_the_error_summary_and_changes_nothing(client, query, priya):
    client.force_login(priya.user)

    response = client.post(f"{query.get_absolute_url()}reply/", {"reply-message": "  "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assertInHTML('<a href="#id_reply-message">Enter your reply to the resident</a>', page)
    assert title(page).startswith("Error: ")
    query.refresh_from_db()
    assert query.status == Query.Status.OPEN


def test_reply_to_a_closed_query_is_refused(query, priya):
    query_close(query=query, by=priya.user, outcome="Resolved.")

    with pytest.raises(ValidationError):
        query_reply(query=query, by=priya.user, message="Too late.")


def test_note_does_not_stop_the_clock_and_sends_nothing(query, priya):
    escalation_at = query.next_escalation_at

    query_note(query=query, by=priya.user, body="Checked CCTV.", now=SUBMITTED + HOUR)

    query.refresh_from_db()
    assert query.status == Query.Status.OPEN
    assert query.next_escalation_at == escalation_at
    assert query.first_response_at is None
    assert not OutboxEmail.objects.exists()


def test_note_requires_text(query, priya):
    with pytest.raises(ValidationError) as error:
        query_note(query=query, by=priya.user, body="   ")

    assert "body" in error.value.message_dict


def test_reassign_emails_the_new_officer_without_the_residents_details(query, sergeant, grace):
    query_reassign(query=query, by=sergeant, officer=grace, reason="Priya is on leave.")

    query.refresh_from_db()
    assert query.assigned_officer == grace
    assert query.routing_reason == "reassigned by Sergeant Mark Riley"
    email = OutboxEmail.objects.get()
    assert email.to == ["grace@example.police.uk"]
    assert query.reference in email.subject
    assert "Priya is on leave." in email.body_text
    assert query.get_absolute_url() in email.body_text
    for detail in ("Winifred Oakenshaw", "winifred@example.com", "07700 900123", query.message):
        assert detail not in email.body_text
        assert detail not in email.body_html


def test_reassign_email_goes_to_the_account_address_when_the_officer_has_none(
    query, sergeant, make_account, area
):
    account = make_account(Role.OFFICER, username="dev", email="dev@example.police.uk")
    officer = OfficerFactory(user=account, email="")
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.TEAM_MEMBER)

    query_reassign(query=query, by=sergeant, officer=officer, reason="Local knowledge")

    assert OutboxEmail.objects.get().to == ["dev@example.police.uk"]


def test_reassign_to_an_officer_outside_the_neighbourhood_is_refused(query, sergeant):
    stranger = AssignmentFactory(role=Assignment.Role.TEAM_MEMBER).officer

    with pytest.raises(ValidationError) as error:
        query_reassign(query=query, by=sergeant, officer=stranger, reason="Try")

    assert "officer" in error.value.message_dict
    query.refresh_from_db()
    assert query.assigned_officer.display_name == "Priya Sharma"
    assert not OutboxEmail.objects.exists()


def test_reassign_form_lists_only_the_neighbourhoods_other_officers(client, query, sergeant, grace):
    stranger = AssignmentFactory(officer__display_name="Stranger Danger").officer
    client.force_login(sergeant)

    page = client.get(query.get_absolute_url()).content.decode()
    response = client.post(
        f"{query.get_absolute_url()}reassign/",
        {"reassign-officer": stranger.pk, "reassign-reason": "Try"},
    )

    assert "Police Constable Grace Whitfield" in texts(page, "option")
    assert "Stranger Danger" not in page
    assert "Choose an officer of this neighbourhood" in response.content.decode()


def test_close_requires_an_outcome(query, priya):
    with pytest.raises(ValidationError) as error:
        query_close(query=query, by=priya.user, outcome="  ")

    assert "outcome" in error.value.message_dict
    query.refresh_from_db()
    assert query.status == Query.Status.OPEN


def test_close_form_without_an_outcome_shows_the_error(client, query, priya):
    client.force_login(priya.user)

    response = client.post(f"{query.get_absolute_url()}close/", {"close-outcome": ""})

    assertInHTML(
        '<a href="#id_close-outcome">Enter the outcome of the query</a>', response.content.decode()
    )


def test_close_sets_closed_and_stops_escalations(query, priya):
    query_close(query=query, by=priya.user, outcome="Patrols arranged.", now=SUBMITTED + HOUR)

    query.refresh_from_db()
    assert query.status == Query.Status.CLOSED
    assert query.closed_at == SUBMITTED + HOUR
    assert query.outcome == "Patrols arranged."
    assert query.next_escalation_at is None
    assert query.first_response_at is None


@pytest.mark.parametrize(
    ("kind", "act"),
    [
        (
            QueryEvent.Kind.REPLY,
            lambda q, by, now: query_reply(query=q, by=by, message="R", now=now),
        ),
        (QueryEvent.Kind.NOTE, lambda q, by, now: query_note(query=q, by=by, body="N", now=now)),
        (
            QueryEvent.Kind.CLOSED,
            lambda q, by, now: query_close(query=q, by=by, outcome="O", now=now),
        ),
    ],
)
def test_every_action_adds_its_timeline_event_with_author_and_time(query, priya, kind, act):
    now = SUBMITTED + 3 * HOUR

    act(query, priya.user, now)

    event = QueryEvent.objects.get(query=query)
    assert event.kind == kind
    assert event.author == priya.user
    assert event.created_at == now


def test_reassign_adds_its_timeline_event_with_author_time_and_reason(query, sergeant, grace):
    now = SUBMITTED + 2 * HOUR

    query_reassign(query=query, by=sergeant, officer=grace, reason="Leave", now=now)

    event = QueryEvent.objects.get(query=query)
    assert event.kind == QueryEvent.Kind.REASSIGNED
    assert event.author == sergeant
    assert event.created_at == now
    assert event.body == "From Priya Sharma to Grace Whitfield.\nReason: Leave"


def test_timeline_shows_who_and_when_in_london_time(client, query, priya):
    with time_machine.travel(SUBMITTED + 3 * HOUR, tick=False):
        client.force_login(priya.user)
        client.post(f"{query.get_absolute_url()}note/", {"note-body": "Checked CCTV."})
        page = client.get(query.get_absolute_url()).content.decode()

    assert "Internal note" in page
    assert "Police Constable Priya Sharma" in page
    assert "Checked CCTV." in page
    # 12:00 UTC is 1pm in London in June.
    assert "Monday 1 June 2026 at 1pm" in page


def test_query_page_runs_a_fixed_number_of_sql_queries(
    client, query, priya, sergeant, grace, django_assert_max_num_queries
):
    for number in range(60):
        query_note(query=query, by=priya.user if number % 2 else sergeant, body=f"Note {number}")
    client.force_login(sergeant)

    # 10, and 4 for the audit's record of the view: the viewer's roles, the INSERT, and the
    # savepoint around it that the test's transaction adds.
    with django_assert_max_num_queries(14):
        response = client.get(query.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Note 59" in page
