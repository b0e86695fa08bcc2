"""Answered and closed queries whose last activity is past the retention period lose the
resident's personal data, and what officers wrote about them, but not the figures."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import OutboxEmail
from queries.models import Query, QueryEvent
from queries.services import sla
from queries.services.resident import query_resident_reply
from queries.services.sla import queries_anonymise_expired
from tests.queries.factories import QueryFactory, neighbourhood_with_team, query_email

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 12, 1, 10, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def team(time_machine):
    time_machine.move_to(NOW, tick=False)
    return neighbourhood_with_team()


def closed_query(team, closed_days_ago: int, **fields) -> Query:
    neighbourhood, officers = team
    closed_at = NOW - closed_days_ago * DAY
    submitted = closed_at - 5 * DAY
    query = QueryFactory(
        neighbourhood=neighbourhood,
        submitted_at=submitted,
        name="Jane Resident",
        email="jane.resident@example.com",
        phone="07700 900123",
        message="The house at number 12 is dealing drugs.",
        status=Query.Status.CLOSED,
        closed_at=closed_at,
        outcome="Passed to the drugs team.",
        first_response_at=submitted + 30 * datetime.timedelta(hours=1),
        first_response_seconds=30 * 3600,
        first_response_met_target=True,
        first_response_officer=officers["named"],
        next_escalation_at=None,
        next_escalation_step="",
        **fields,
    )
    QueryEvent.objects.create(
        query=query,
        kind=QueryEvent.Kind.RESIDENT_MESSAGE,
        body="Number 12 again last night, I am Jane at number 14.",
        created_at=submitted + DAY,
    )
    QueryEvent.objects.create(
        query=query,
        kind=QueryEvent.Kind.NOTE,
        body="Checked with the drugs team.",
        created_at=submitted + DAY,
    )
    return query


def test_anonymising_removes_contact_details_and_message(settings, team):
    query = closed_query(team, settings.QUERY_RETENTION_DAYS + 1)

    assert queries_anonymise_expired() == 1

    query.refresh_from_db()
    assert (query.name, query.email, query.phone) == ("", "", "")
    assert query.message == "[removed]"
    assert query.anonymised_at == timezone.now()


def test_anonymising_keeps_the_figures(settings, team):
    query = closed_query(team, settings.QUERY_RETENTION_DAYS + 1)
    before = Query.objects.values(
        "neighbourhood",
        "topic",
        "submitted_at",
        "closed_at",
        "status",
        "first_response_at",
        "first_response_seconds",
        "first_response_met_target",
        "first_response_officer",
    ).get(pk=query.pk)

    queries_anonymise_expired()

    after = Query.objects.values(*before).get(pk=query.pk)
    assert after == before


def test_anonymising_replaces_resident_messages_in_the_history(settings, team):
    query = closed_query(team, settings.QUERY_RETENTION_DAYS + 1)

    queries_anonymise_expired()

    message = query.events.get(kind=QueryEvent.Kind.RESIDENT_MESSAGE)
    assert message.body == "[removed]"
    assert query.events.filter(kind=QueryEvent.Kind.ANONYMISED).count() == 1


def test_anonymising_scrubs_replies_notes_reassignments_closing_and_the_outcome(settings, team):
    query = closed_query(team, settings.QUERY_RETENTION_DAYS + 1)
    written = query.submitted_at + 2 * DAY
    for kind, body in [
        (QueryEvent.Kind.REPLY, "Dear Jane Resident, we visited 12 Oak Road."),
        (QueryEvent.Kind.REASSIGNED, "To Grace.\nReason: Jane rang again on 07700 900123."),
        (QueryEvent.Kind.CLOSED, "Passed to the drugs team."),
    ]:
        QueryEvent.objects.create(query=query, kind=kind, body=body, created_at=written)
    QueryEvent.objects.create(
        query=query, kind=QueryEvent.Kind.ROUTED, body="To the named officer.", created_at=written
    )

    queries_anonymise_expired()

    bodies = dict(query.events.values_list("kind", "body"))
    for kind in ("resident_message", "note", "reply", "reassigned", "closed"):
        assert bodies[kind] == "[removed]"
    assert bodies["routed"] == "To the named officer."
    query.refresh_from_db()
    assert query.outcome == "[removed]"


def answered_query(team, *, answered_days_ago: int, last_activity_days_ago: int) -> Query:
    """Answered (never closed) `answered_days_ago` days ago, with a note, its last history
    event, `last_activity_days_ago` days ago."""
    neighbourhood, officers = team
    answered_at = NOW - answered_days_ago * DAY
    submitted = answered_at - DAY
    query = QueryFactory(
        neighbourhood=neighbourhood,
        submitted_at=submitted,
        name="Jane Resident",
        email="jane.resident@example.com",
        phone="07700 900123",
        status=Query.Status.ANSWERED,
        first_response_at=answered_at,
        first_response_seconds=24 * 3600,
        first_response_met_target=True,
        first_response_officer=officers["named"],
        next_escalation_at=None,
        next_escalation_step="",
    )
    QueryEvent.objects.create(
        query=query,
        kind=QueryEvent.Kind.REPLY,
        body="Dear Jane Resident, we will patrol.",
        created_at=answered_at,
    )
    QueryEvent.objects.create(
        query=query,
        kind=QueryEvent.Kind.NOTE,
        body="Jane rang to say thank you.",
        created_at=NOW - last_activity_days_ago * DAY,
    )
    return query


def test_answered_query_inactive_past_the_retention_period_is_anonymised(settings, team):
    days = settings.QUERY_RETENTION_DAYS
    query = answered_query(team, answered_days_ago=days + 5, last_activity_days_ago=days + 1)

    assert queries_anonymise_expired() == 1

    query.refresh_from_db()
    assert (query.name, query.email, query.phone) == ("", "", "")
    assert query.message == "[removed]"
    assert query.anonymised_at == timezone.now()
    assert set(query.events.filter(kind__in=["reply", "note"]).values_list("body", flat=True)) == {
        "[removed]"
    }
    assert query.status == Query.Status.ANSWERED
    assert query.first_response_seconds == 24 * 3600
    assert query.first_response_met_target is True


def test_answered_query_with_recent_activity_is_left_alone(settings, team):
    # Answered long ago, but a note was added within the retention period.
    days = settings.QUERY_RETENTION_DAYS
    query = answered_query(team, answered_days_ago=days + 5, last_activity_days_ago=days - 1)

    assert queries_anonymise_expired() == 0

    query.refresh_from_db()
    assert query.name == "Jane Resident"
    assert query.anonymised_at is None


def test_anonymising_removes_emails_to_the_resident_but_not_to_staff(settings, team):
    query = closed_query(team, settings.QUERY_RETENTION_DAYS + 1)
    to_resident = query_email(
        query,
        to=["Jane.Resident@example.com"],
        subject="Your query",
        body_text="Dear Jane",
        body_html="<p>Dear Jane</p>",
        status=OutboxEmail.Status.SENT,
    )
    to_staff = query_email(
        query, to=["sergeant@example.police.uk"], subject="Breach", body_text="Query late"
    )

    queries_anonymise_expired()

    to_resident.refresh_from_db()
    to_staff.refresh_from_db()
    assert to_resident.to == ["[removed]"]
    assert "Jane" not in to_resident.body_text + to_resident.subject
    assert to_resident.body_html == ""
    assert to_resident.status == OutboxEmail.Status.SENT
    assert (to_staff.to, to_staff.body_text) == (["sergeant@example.police.uk"], "Query late")


def test_open_and_recently_closed_queries_are_left_alone(settings, team):
    neighbourhood, _ = team
    recent = closed_query(team, settings.QUERY_RETENTION_DAYS - 1)
    still_open = QueryFactory(
        neighbourhood=neighbourhood,
        submitted_at=NOW - (settings.QUERY_RETENTION_DAYS + 30) * DAY,
        name="Old But Open",
    )

    assert queries_anonymise_expired() == 0

    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.name == "Jane Resident"
    assert recent.anonymised_at is None
    assert still_open.name == "Old But Open"


def test_anonymising_runs_once(settings, team):
    closed_query(team, settings.QUERY_RETENTION_DAYS + 1)
    queries_anonymise_expired()

    assert queries_anonymise_expired() == 0
    assert QueryEvent.objects.filter(kind=QueryEvent.Kind.ANONYMISED).count() == 1


def test_anonymising_works_through_more_than_one_batch(settings, team):
    for _ in range(5):
        closed_query(team, settings.QUERY_RETENTION_DAYS + 3)

    assert queries_anonymise_expired(batch_size=2) == 5
    assert not Query.objects.filter(anonymised_at__isnull=True).exists()


def test_anonymise_expired_queries_task_calls_the_service(settings, team):
    from queries.tasks import anonymise_expired_queries

    closed_query(team, settings.QUERY_RETENTION_DAYS + 1)

    assert anonymise_expired_queries() == 1


def test_anonymising_leaves_the_history_of_queries_still_kept_alone(settings, team):
    closed_query(team, settings.QUERY_RETENTION_DAYS + 1)
    kept = closed_query(team, settings.QUERY_RETENTION_DAYS - 1)

    assert queries_anonymise_expired() == 1

    assert set(kept.events.values_list("body", flat=True)) == {
        "Number 12 again last night, I am Jane at number 14.",
        "Checked with the drugs team.",
    }


def test_the_history_says_when_and_why_the_details_were_removed(settings, time_machine, team):
    settings.QUERY_RETENTION_DAYS = 400
    query = closed_query(team, 401)
    later = NOW + 2 * DAY
    time_machine.move_to(later, tick=False)

    queries_anonymise_expired()

    event = query.events.get(kind=QueryEvent.Kind.ANONYMISED)
    assert event.body == (
        "Personal details removed after 400 days, as the retention policy requires."
    )
    assert event.created_at == later
    query.refresh_from_db()
    assert query.updated_at == later


def test_answered_query_with_no_outcome_is_not_given_one(settings, team):
    days = settings.QUERY_RETENTION_DAYS
    query = answered_query(team, answered_days_ago=days + 5, last_activity_days_ago=days + 1)

    assert queries_anonymise_expired() == 1

    query.refresh_from_db()
    assert query.outcome == ""


def test_history_entries_with_no_words_are_not_marked_as_removed(settings, team):
    query = closed_query(team, settings.QUERY_RETENTION_DAYS + 1)
    empty = QueryEvent.objects.create(
        query=query, kind=QueryEvent.Kind.NOTE, body="", created_at=query.submitted_at
    )

    queries_anonymise_expired()

    empty.refresh_from_db()
    assert empty.body == ""
    assert query.events.get(kind=QueryEvent.Kind.RESIDENT_MESSAGE).body == "[removed]"


def test_an_anonymised_query_is_not_anonymised_again_years_later(settings, time_machine, team):
    query = closed_query(team, settings.QUERY_RETENTION_DAYS + 1)
    queries_anonymise_expired()

    later = NOW + (settings.QUERY_RETENTION_DAYS + 1) * DAY
    time_machine.move_to(later, tick=False)

    assert queries_anonymise_expired() == 0
    assert query.events.filter(kind=QueryEvent.Kind.ANONYMISED).count() == 1
    query.refresh_from_db()
    assert query.anonymised_at == NOW


def test_query_reopened_by_the_residents_follow_up_is_kept_while_open(settings, team):
    """Answered long ago, then the resident wrote again: a new clock runs, however old."""
    days = settings.QUERY_RETENTION_DAYS
    query = answered_query(team, answered_days_ago=days + 10, last_activity_days_ago=days + 9)
    query_resident_reply(query=query, message="Still happening.", now=NOW - (days + 8) * DAY)
    query.refresh_from_db()
    assert query.status == Query.Status.OPEN

    assert queries_anonymise_expired() == 0

    query.refresh_from_db()
    assert query.name == "Jane Resident"
    assert query.anonymised_at is None


def test_a_run_stopped_part_way_keeps_the_batches_it_finished(settings, team, monkeypatch):
    """Each batch commits on its own: a run that dies keeps what it finished, and the next
    run does the rest."""
    for _ in range(5):
        closed_query(team, settings.QUERY_RETENTION_DAYS + 3)
    remove_comments = sla.answer_feedback_comments_remove
    batches = 0

    def remove_comments_then_die(**kwargs):
        nonlocal batches
        batches += 1
        if batches == 2:
            raise RuntimeError("worker killed")
        remove_comments(**kwargs)

    monkeypatch.setattr(sla, "answer_feedback_comments_remove", remove_comments_then_die)

    with pytest.raises(RuntimeError):
        queries_anonymise_expired(batch_size=2)

    assert Query.objects.filter(anonymised_at__isnull=False).count() == 2
    assert QueryEvent.objects.filter(kind=QueryEvent.Kind.ANONYMISED).count() == 2

    monkeypatch.setattr(sla, "answer_feedback_comments_remove", remove_comments)
    assert queries_anonymise_expired(batch_size=2) == 3
    assert not Query.objects.filter(anonymised_at__isnull=True).exists()


def _statements_to_anonymise(settings, team, count: int) -> int:
    for _ in range(count):
        query = closed_query(team, settings.QUERY_RETENTION_DAYS + 1)
        query_email(query, to=["jane.resident@example.com"], body_html="<p>Dear Jane</p>")
        query_email(query, to=["sergeant@example.police.uk"], subject="Breach")
    with CaptureQueriesContext(connection) as captured:
        assert queries_anonymise_expired() == count
    assert not OutboxEmail.objects.filter(to__contains=["jane.resident@example.com"]).exists()
    return len(captured)


def test_anonymising_ten_queries_takes_as_many_statements_as_two(settings, team):
    two = _statements_to_anonymise(settings, team, 2)

    assert _statements_to_anonymise(settings, team, 10) == two
