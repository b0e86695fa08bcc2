"""A batch of the sweep costs the same few statements whatever its size, and its emails are
the ones each step would have written on its own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.services import outbox_email_enqueue
from queries import clock
from queries.models import Query
from queries.services import sla
from tests.fixtures.mail import send_outbox
from tests.queries.factories import QueryFactory, neighbourhood_with_team

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def seed_due(neighbourhood, count: int, **fields) -> list[Query]:
    return Query.objects.bulk_create(
        QueryFactory.build(neighbourhood=neighbourhood, submitted_at=SUBMITTED, **fields)
        for _ in range(count)
    )


def statements_for_one_batch(time_machine, due: int) -> int:
    time_machine.move_to(SUBMITTED, tick=False)
    neighbourhood, officers = neighbourhood_with_team()
    seed_due(neighbourhood, due, assigned_officer=officers["named"])
    with CaptureQueriesContext(connection) as captured:
        assert sla.sla_sweep(now=SUBMITTED + 49 * HOUR, batch_size=100) == due
    return len(captured)


def test_a_batch_of_50_steps_takes_as_many_statements_as_a_batch_of_5(time_machine):
    five = statements_for_one_batch(time_machine, 5)
    Query.objects.all().delete()

    assert statements_for_one_batch(time_machine, 50) == five


def test_a_batch_hands_its_emails_to_the_sender_in_one_go(
    time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(SUBMITTED, tick=False)
    neighbourhood, officers = neighbourhood_with_team()
    seed_due(neighbourhood, 30, assigned_officer=officers["named"])

    with django_capture_on_commit_callbacks() as callbacks:
        assert sla.sla_sweep(now=SUBMITTED + 49 * HOUR, batch_size=100) == 30

    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count() == 30
    assert len(callbacks) == 1


def _rendered(email: OutboxEmail) -> tuple:
    return (email.to, email.subject, email.body_text, email.body_html, email.headers)


def test_batched_emails_equal_those_written_one_step_at_a_time(time_machine, settings):
    """Every template of the ladder, assigned and unassigned, names that templates escape:
    each email of the batch is what the single-email path writes for the same step."""
    settings.SITE_URL = "https://portal.example.police.uk"
    time_machine.move_to(SUBMITTED, tick=False)
    neighbourhood, officers = neighbourhood_with_team(name="St John's & Abbey <North>")
    other, _ = neighbourhood_with_team(name="Derby City Centre")
    officers["named"].display_name = "PC O'Brien & Partner"
    officers["named"].save(update_fields=["display_name"])
    seed_due(neighbourhood, 2, assigned_officer=officers["named"])
    seed_due(other, 2, assigned_officer=None)
    seed_due(
        neighbourhood,
        2,
        assigned_officer=officers["named"],
        urgent_reasons=["a weapon", "someone hurt"],
    )
    seed_due(other, 1, next_escalation_step="breach", next_escalation_at=SUBMITTED + 72 * HOUR)
    seed_due(other, 1, next_escalation_step="escalation", next_escalation_at=SUBMITTED + 96 * HOUR)
    now = SUBMITTED + 97 * HOUR
    queries = Query.objects.select_related("neighbourhood", "assigned_officer__user")
    # Each query takes, one batch after another, every step from the one it points at.
    expected_steps = {}
    for query in queries:
        ladder = clock.ladder_for(query)
        names = [step.name for step in ladder]
        expected_steps[query.pk] = ladder[names.index(query.next_escalation_step) :]
    teams = sla.current_teams({q.neighbourhood_id for q in queries}, timezone.localdate(now))

    sla.sla_sweep(now=now, batch_size=4)
    send_outbox()

    batched: dict[int, list[OutboxEmail]] = {pk: [] for pk in expected_steps}
    for email in OutboxEmail.objects.select_related("query_link").order_by("pk"):
        batched[email.query_link.query_id].append(email)
    taken = {step.name for steps in expected_steps.values() for step in steps}
    assert taken == {"first_look", "reminder", "breach", "escalation"}
    for query in queries:
        assert len(batched[query.pk]) == len(expected_steps[query.pk])
        for email, step in zip(batched[query.pk], expected_steps[query.pk], strict=True):
            one_at_a_time = outbox_email_enqueue(
                to=sla._recipients_and_officers(query, step, teams[query.neighbourhood_id])[0],
                template=f"queries/email/{sla.step_template(step)}",
                context=sla.step_email_context(query, now),
                send_after_commit=False,
            )
            assert _rendered(email) == _rendered(one_at_a_time)


def test_the_longest_overdue_query_is_taken_first(time_machine):
    time_machine.move_to(SUBMITTED, tick=False)
    neighbourhood, _ = neighbourhood_with_team()
    later = QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED + HOUR)
    earlier = QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED)

    assert sla.sla_sweep(now=SUBMITTED + 50 * HOUR, batch_size=1) == 2

    reminded = OutboxEmail.objects.order_by("pk").values_list("query_link__query_id", flat=True)
    assert list(reminded) == [earlier.pk, later.pk]
