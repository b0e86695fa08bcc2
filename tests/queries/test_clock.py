"""The response clock runs in real hours across the clocks changing, and restarts on a
resident's follow-up with a ladder of its own."""

import datetime
import zoneinfo

import pytest

from config.dates import date_time_text as london_datetime_display
from notifications.models import OutboxEmail
from queries import clock
from queries.models import EscalationStep, Query
from queries.services.resident import query_resident_reply
from queries.services.sla import sla_sweep
from tests.queries.factories import QueryFactory, neighbourhood_with_team

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture
def team(time_machine):
    time_machine.move_to(utc(2026, 3, 20, 9), tick=False)
    return neighbourhood_with_team()


def test_due_at_is_72_real_hours_later_across_the_change_to_bst(team):
    neighbourhood, _ = team

    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    assert query.due_at == utc(2026, 3, 30, 12)
    assert query.due_at.astimezone(LONDON).hour == 13
    assert london_datetime_display(query.due_at) == "Monday 30 March 2026 at 1pm"


def test_due_at_is_72_real_hours_later_across_the_change_from_bst(team):
    neighbourhood, _ = team

    # 1pm BST on Friday 23 October; the clocks go back early on Sunday 25 October.
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 10, 23, 12))

    assert query.due_at == utc(2026, 10, 26, 12)
    assert query.due_at.astimezone(LONDON).hour == 12
    assert london_datetime_display(query.due_at) == "Monday 26 October 2026 at midday"


def test_london_submission_time_across_the_change_to_bst_gives_72_elapsed_hours(team):
    neighbourhood, _ = team
    # 1pm GMT on Saturday 28 March, given in London time; the clocks go forward early on the 29th.
    submitted = datetime.datetime(2026, 3, 28, 13, tzinfo=LONDON)

    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=submitted)

    assert query.due_at - submitted == 72 * HOUR
    assert query.due_at == utc(2026, 3, 31, 13)
    assert query.due_at.utcoffset() == datetime.timedelta(0)
    # 72 elapsed hours after 1pm GMT is 2pm BST on the Tuesday, not 1pm.
    assert query.due_at.astimezone(LONDON).hour == 14


def test_clock_start_with_a_london_time_stores_utc_and_72_elapsed_hours(team):
    neighbourhood, _ = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))
    follow_up = datetime.datetime(2026, 3, 28, 23, 30, tzinfo=LONDON)  # GMT, before the change

    clock.start(query, follow_up)

    assert query.clock_started_at == utc(2026, 3, 28, 23, 30)
    assert query.clock_started_at.utcoffset() == datetime.timedelta(0)
    assert query.due_at - follow_up == 72 * HOUR
    assert query.due_at.astimezone(LONDON) == datetime.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON)


def test_ladder_steps_fall_at_real_hours_across_the_change_to_bst(team):
    neighbourhood, _ = team

    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    assert query.next_escalation_step == "reminder"
    assert query.next_escalation_at == utc(2026, 3, 29, 12)


def test_due_time_is_shown_in_london_time():
    assert london_datetime_display(utc(2026, 11, 3, 14, 15)) == (
        "Tuesday 3 November 2026 at 2:15pm"
    )
    assert london_datetime_display(utc(2026, 7, 1, 8, 5)) == "Wednesday 1 July 2026 at 9:05am"


def test_answer_exactly_at_the_deadline_meets_the_target(team):
    neighbourhood, officers = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    clock.stop(query, query.due_at, officers["named"])

    assert query.first_response_met_target is True
    assert query.first_response_seconds == 72 * 3600
    assert query.status == Query.Status.ANSWERED


def test_sweep_exactly_at_the_deadline_sends_no_breach_and_an_answer_then_meets_the_target(
    time_machine, team
):
    neighbourhood, officers = team
    submitted = utc(2026, 3, 27, 12)
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=submitted, assigned_officer=officers["named"]
    )
    time_machine.move_to(submitted + 48 * HOUR + SECOND, tick=False)
    assert sla_sweep() == 1  # the reminder

    time_machine.move_to(query.due_at, tick=False)
    assert sla_sweep() == 0  # at the deadline, before the answer: not yet breached
    query.refresh_from_db()
    query.save(update_fields=clock.stop(query, query.due_at, officers["named"]))

    query.refresh_from_db()
    assert query.first_response_met_target is True
    time_machine.move_to(query.due_at + SECOND, tick=False)
    assert sla_sweep() == 0
    assert not EscalationStep.objects.filter(query=query, step="breach").exists()
    assert not OutboxEmail.objects.filter(subject__startswith="Response target").exists()


def test_sweep_a_second_after_the_deadline_sends_the_breach(time_machine, team):
    neighbourhood, officers = team
    submitted = utc(2026, 3, 27, 12)
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=submitted, assigned_officer=officers["named"]
    )
    time_machine.move_to(query.due_at, tick=False)
    assert sla_sweep() == 1  # only the reminder: the breach is not due at the deadline itself
    assert not EscalationStep.objects.filter(query=query, step="breach").exists()

    time_machine.move_to(query.due_at + SECOND, tick=False)

    assert sla_sweep() == 1
    assert EscalationStep.objects.filter(query=query, step="breach").count() == 1
    [breach] = OutboxEmail.objects.filter(subject__startswith="Response target")
    assert breach.to == [officers["sergeant"].email]


def test_answer_a_second_after_the_deadline_misses_the_target(team):
    neighbourhood, officers = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    clock.stop(query, query.due_at + datetime.timedelta(seconds=1), officers["named"])

    assert query.first_response_met_target is False


def test_stopping_the_clock_clears_the_next_step(team):
    neighbourhood, officers = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    clock.stop(query, utc(2026, 3, 28, 12), officers["named"])

    assert query.next_escalation_at is None
    assert query.next_escalation_step == ""


def test_follow_up_after_an_answer_starts_clock_2_with_its_own_ladder(time_machine, team):
    neighbourhood, officers = team
    submitted = utc(2026, 3, 27, 12)
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=submitted, assigned_officer=officers["named"]
    )
    # A step is due once its time has passed: one second after it.
    time_machine.move_to(submitted + 48 * HOUR + SECOND, tick=False)
    assert sla_sweep() == 1  # clock 1's reminder
    query.refresh_from_db()
    query.save(update_fields=clock.stop(query, submitted + 50 * HOUR, officers["named"]))

    # The resident replies to the answer: their follow-up starts a new clock.
    follow_up = submitted + 60 * HOUR
    query = query_resident_reply(query=query, message="It happened again.", now=follow_up)
    assert query.clock == 2
    assert query.due_at == follow_up + 72 * HOUR

    time_machine.move_to(follow_up + 48 * HOUR + SECOND, tick=False)
    assert sla_sweep() == 1

    steps = set(EscalationStep.objects.filter(query=query).values_list("clock", "step"))
    assert steps == {(1, "reminder"), (2, "reminder")}
    assert OutboxEmail.objects.filter(subject__startswith="Reminder").count() == 2


def test_follow_up_clock_keeps_the_first_response_figures(team):
    neighbourhood, officers = team
    submitted = utc(2026, 3, 27, 12)
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=submitted)
    clock.stop(query, submitted + 10 * HOUR, officers["named"])
    query.clock += 1
    clock.start(query, submitted + 20 * HOUR)

    clock.stop(query, submitted + 200 * HOUR, officers["named"])

    assert query.first_response_seconds == 10 * 3600
    assert query.first_response_met_target is True
