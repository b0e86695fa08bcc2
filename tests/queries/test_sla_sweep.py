"""The sweep takes each ladder step once, at its time, and notifies the right people."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import OutboxEmail
from queries import clock
from queries.models import EscalationStep, Query, QueryEvent
from queries.services import sla
from queries.services.sla import sla_sweep
from tests.factories import OfficerFactory, UserFactory
from tests.fixtures.mail import send_outbox
from tests.html import hrefs
from tests.queries.factories import QueryFactory, neighbourhood_with_team, sweep_dies_at_step

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def team(time_machine):
    time_machine.move_to(SUBMITTED, tick=False)
    return neighbourhood_with_team(name="Derby City Centre")


@pytest.fixture
def query(team):
    neighbourhood, officers = team
    return QueryFactory(
        neighbourhood=neighbourhood,
        submitted_at=SUBMITTED,
        assigned_officer=officers["named"],
        name="Jane Resident",
        email="jane.resident@example.com",
        phone="07700 900123",
    )


def sweep_at(time_machine, hours: float) -> int:
    time_machine.move_to(SUBMITTED + hours * HOUR, tick=False)
    return sla_sweep()


def sweep_just_after(time_machine, hours: int) -> int:
    """A sweep one second after a step's time: a step is due once its time has passed."""
    time_machine.move_to(SUBMITTED + hours * HOUR + SECOND, tick=False)
    return sla_sweep()


def emails(kind: str) -> list[OutboxEmail]:
    """The emails of one kind the sweeps so far sent, as their recipients get them."""
    send_outbox()
    prefixes = {"reminder": "Reminder", "breach": "Response target", "escalation": "Escalated"}
    return list(OutboxEmail.objects.filter(subject__startswith=prefixes[kind]))


def test_nothing_is_sent_before_48_hours(time_machine, query):
    assert sweep_at(time_machine, 47.9) == 0
    assert not OutboxEmail.objects.exists()


def test_nothing_is_sent_at_exactly_48_hours(time_machine, query):
    assert sweep_at(time_machine, 48) == 0
    assert not OutboxEmail.objects.exists()


def test_reminder_at_48_hours_goes_to_the_assigned_officer(time_machine, team, query):
    _, officers = team

    assert sweep_just_after(time_machine, 48) == 1

    send_outbox()
    [email] = OutboxEmail.objects.all()
    assert email.subject.startswith("Reminder")
    assert email.to == [officers["named"].email]
    assert email.query_link.query == query
    assert QueryEvent.objects.filter(query=query, kind=QueryEvent.Kind.REMINDER).count() == 1
    query.refresh_from_db()
    assert query.next_escalation_step == "breach"
    assert query.next_escalation_at == SUBMITTED + 72 * HOUR


def test_reminder_is_not_sent_again_by_the_next_sweep(time_machine, query):
    sweep_just_after(time_machine, 48)
    assert sweep_at(time_machine, 48.1) == 0
    assert sweep_at(time_machine, 71.9) == 0
    assert OutboxEmail.objects.count() == 1


def test_breach_at_72_hours_goes_to_the_sergeant_once(time_machine, team, query):
    _, officers = team
    sweep_just_after(time_machine, 48)

    assert sweep_just_after(time_machine, 72) == 1
    assert sweep_at(time_machine, 72.5) == 0

    [breach] = emails("breach")
    assert breach.to == [officers["sergeant"].email]
    assert QueryEvent.objects.filter(query=query, kind=QueryEvent.Kind.BREACH).count() == 1


def test_escalation_at_96_hours_goes_to_the_inspector_and_opcc_once(
    time_machine, settings, team, query
):
    _, officers = team
    sweep_just_after(time_machine, 48)
    sweep_just_after(time_machine, 72)

    assert sweep_just_after(time_machine, 96) == 1
    assert sweep_at(time_machine, 200) == 0

    [escalation] = emails("escalation")
    assert escalation.to == [officers["inspector"].email, settings.OPCC_CONTACT_EMAIL]
    assert OutboxEmail.objects.count() == 3
    assert EscalationStep.objects.filter(query=query).count() == 3
    query.refresh_from_db()
    assert query.next_escalation_at is None
    assert query.next_escalation_step == ""


def test_a_late_sweep_takes_each_missed_step_once(time_machine, query):
    assert sweep_at(time_machine, 100) == 3
    assert sweep_at(time_machine, 101) == 0

    steps = EscalationStep.objects.filter(query=query).values_list("step", flat=True)
    assert sorted(steps) == ["breach", "escalation", "reminder"]
    assert OutboxEmail.objects.count() == 3


def test_query_answered_at_50_hours_gets_no_breach(time_machine, team, query):
    _, officers = team
    sweep_just_after(time_machine, 48)
    answered_at = SUBMITTED + 50 * HOUR
    query.save(update_fields=clock.stop(query, answered_at, officers["named"]))

    assert sweep_just_after(time_machine, 72) == 0
    assert sweep_just_after(time_machine, 96) == 0
    assert emails("breach") == []
    assert list(EscalationStep.objects.values_list("step", flat=True)) == ["reminder"]


def test_unassigned_query_reminder_goes_to_the_named_officer(time_machine, team):
    neighbourhood, officers = team
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=None)

    sweep_just_after(time_machine, 48)

    [reminder] = emails("reminder")
    assert reminder.to == [officers["named"].email]


def test_unassigned_query_without_named_officer_reminds_team_and_sergeant(time_machine, team):
    neighbourhood, officers = team
    neighbourhood.assignments.filter(role="named").delete()
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=None)

    sweep_just_after(time_machine, 48)

    [reminder] = emails("reminder")
    assert reminder.to == [officers["team"].email, officers["sergeant"].email]


def test_officer_without_own_email_is_reached_at_their_account_email(time_machine, team):
    neighbourhood, _ = team
    officer = OfficerFactory(email="", user=UserFactory(email="pc.account@example.police.uk"))
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=officer)

    sweep_just_after(time_machine, 48)

    assert emails("reminder")[0].to == ["pc.account@example.police.uk"]


def test_step_with_no_one_to_email_is_still_recorded(time_machine, team, query):
    neighbourhood, _ = team
    neighbourhood.assignments.filter(role="sergeant").delete()

    sweep_just_after(time_machine, 72)

    assert emails("breach") == []
    event = QueryEvent.objects.get(query=query, kind=QueryEvent.Kind.BREACH)
    assert "no one to email" in event.body
    assert EscalationStep.objects.filter(query=query, step="breach").exists()


def test_step_already_taken_is_skipped_not_repeated(time_machine, query):
    EscalationStep.objects.create(
        query=query, clock=1, step="reminder", taken_at=SUBMITTED + 48 * HOUR
    )

    assert sweep_at(time_machine, 49) == 0

    assert not OutboxEmail.objects.exists()
    query.refresh_from_db()
    assert query.next_escalation_step == "breach"


def test_a_sweep_stopped_part_way_keeps_the_batches_it_finished(time_machine, team, monkeypatch):
    """Each batch commits on its own: a sweep that dies keeps the steps it finished, and the
    next sweep takes the rest, each once."""
    neighbourhood, officers = team
    queries = [
        QueryFactory(
            neighbourhood=neighbourhood,
            submitted_at=SUBMITTED + seconds * SECOND,
            assigned_officer=officers["named"],
        )
        for seconds in range(5)
    ]
    take_step = sweep_dies_at_step(monkeypatch, 3)  # the first query of the second batch
    time_machine.move_to(SUBMITTED + 49 * HOUR, tick=False)

    with pytest.raises(RuntimeError):
        sla_sweep(batch_size=2)

    reminded = set(EscalationStep.objects.values_list("query_id", flat=True))
    assert reminded == {queries[0].pk, queries[1].pk}
    assert OutboxEmail.objects.count() == 2
    assert (
        set(Query.objects.filter(next_escalation_step="breach").values_list("pk", flat=True))
        == reminded
    )

    monkeypatch.setattr(sla, "_take_step", take_step)
    assert sla_sweep(batch_size=2) == 3
    assert EscalationStep.objects.count() == 5
    assert OutboxEmail.objects.count() == 5


def test_closed_query_is_not_swept(time_machine, team):
    neighbourhood, _ = team
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, status=Query.Status.CLOSED)

    assert sweep_at(time_machine, 100) == 0


def test_step_email_has_the_facts_and_no_resident_contact_details(time_machine, settings, query):
    settings.SITE_URL = "https://portal.example.police.uk"
    sweep_just_after(time_machine, 72)

    breach = emails("breach")[0]
    for body in (breach.subject, breach.body_text, breach.body_html):
        assert "Jane" not in body
        assert "jane.resident@example.com" not in body
        assert "07700" not in body
        assert query.message not in body
    text = breach.body_text
    assert query.reference in breach.subject
    assert "Derby City Centre" in text
    assert "Anti-social behaviour" in text
    assert "72 hours" in text
    # Due at 09:30 UTC on 5 November 2026, which is GMT.
    assert "Thursday 5 November 2026 at 9:30am" in text
    assert f"https://portal.example.police.uk/staff/queries/{query.reference}/" in text
    assert f"https://portal.example.police.uk/staff/queries/{query.reference}/" in hrefs(
        breach.body_html
    )


def _statements_for_sweep(time_machine, neighbourhood, due: int, not_due: int) -> int:
    Query.objects.bulk_create(
        [
            QueryFactory.build(neighbourhood=neighbourhood, submitted_at=SUBMITTED)
            for _ in range(due)
        ]
        + [
            QueryFactory.build(neighbourhood=neighbourhood, submitted_at=SUBMITTED + 24 * HOUR)
            for _ in range(not_due)
        ]
    )
    time_machine.move_to(SUBMITTED + 48 * HOUR + SECOND, tick=False)
    with CaptureQueriesContext(connection) as captured:
        assert sla_sweep() == due
    return len(captured)


def test_sweep_statements_do_not_grow_with_not_due_queries(
    time_machine, team, django_assert_max_num_queries
):
    neighbourhood, _ = team
    small = _statements_for_sweep(time_machine, neighbourhood, due=10, not_due=20)
    Query.objects.all().delete()
    time_machine.move_to(SUBMITTED, tick=False)

    Query.objects.bulk_create(
        [QueryFactory.build(neighbourhood=neighbourhood, submitted_at=SUBMITTED) for _ in range(10)]
        + [
            QueryFactory.build(neighbourhood=neighbourhood, submitted_at=SUBMITTED + 24 * HOUR)
            for _ in range(2000)
        ]
    )
    time_machine.move_to(SUBMITTED + 48 * HOUR + SECOND, tick=False)
    with django_assert_max_num_queries(small):
        assert sla_sweep() == 10


def test_sweep_statements_per_batch_are_constant_apart_from_one_email_each(time_machine, team):
    neighbourhood, _ = team
    statements = _statements_for_sweep(time_machine, neighbourhood, due=50, not_due=0)
    # One batch: savepoint, claim, step rows, assignments, events, the emails' links to their
    # queries, query update, release; then savepoint, the empty claim, release. Each step writes
    # its one outbox email.
    assert statements <= 50 + 11


def test_sla_sweep_command_prints_the_count_and_a_second_run_sends_none(time_machine, team):
    neighbourhood, _ = team
    for _ in range(3):
        QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED)
    time_machine.move_to(SUBMITTED + 49 * HOUR, tick=False)

    first, second = StringIO(), StringIO()
    call_command("sla_sweep", stdout=first)
    call_command("sla_sweep", stdout=second)

    assert "3 escalation steps taken" in first.getvalue()
    assert "0 escalation steps taken" in second.getvalue()
    assert OutboxEmail.objects.count() == 3


def test_run_sla_sweep_task_takes_due_steps(time_machine, query):
    from queries.tasks import run_sla_sweep

    time_machine.move_to(SUBMITTED + 49 * HOUR, tick=False)

    assert run_sla_sweep() == 1
    assert run_sla_sweep() == 0


def test_reminder_shows_a_neighbourhood_name_with_apostrophe_and_ampersand_as_written(
    time_machine,
):
    time_machine.move_to(SUBMITTED, tick=False)
    neighbourhood, officers = neighbourhood_with_team(name="St John's & Abbey")
    QueryFactory(
        neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=officers["named"]
    )

    sweep_just_after(time_machine, 48)

    [reminder] = emails("reminder")
    assert "(St John's & Abbey)" in reminder.subject
    assert "Neighbourhood: St John's & Abbey" in reminder.body_text
    assert "&amp;" not in reminder.body_text + reminder.subject
    assert "&#x27;" not in reminder.body_text + reminder.subject
