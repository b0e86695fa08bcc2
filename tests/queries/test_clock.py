"""The response clock runs in real hours across the clocks changing, and restarts on a
resident's follow-up with a ladder of its own."""

import datetime
import zoneinfo

import pytest

from config.dates import date_time_text as london_datetime_display
from notifications.models import OutboxEmail
from queries import clock
from queries.models import EscalationStep, Query, QueryEvent, ResponseClock, Topic
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
    assert not OutboxEmail.objects.filter(template="queries/email/breach").exists()


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
    [breach] = OutboxEmail.objects.filter(template="queries/email/breach")
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
    assert OutboxEmail.objects.filter(template="queries/email/reminder").count() == 2


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


# --- The steps of a clock: the ladder (48 h reminder, 72 h breach, 96 h escalation), after a
# first look an hour in on the first clock of a query flagged for urgent words. ---------------


def test_first_look_asks_the_holder_and_the_sergeant_after_one_hour():
    assert clock.first_look() == clock.Step("first_look", HOUR, ("assigned_officer", "sergeant"))
    assert clock.step_named("first_look") == clock.first_look()


def test_an_urgent_first_clock_starts_with_the_first_look_across_the_change_to_bst(team):
    neighbourhood, _ = team
    # 00:30 GMT on Sunday 29 March; the clocks go forward at 01:00 GMT, to 02:00 BST.
    submitted = utc(2026, 3, 29, 0, 30)

    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=submitted, urgent_reasons=["weapon"]
    )

    assert [step.name for step in clock.ladder_for(query)] == [
        "first_look",
        "reminder",
        "breach",
        "escalation",
    ]
    assert query.next_escalation_step == "first_look"
    # One elapsed hour: 01:30 GMT is 02:30 BST.
    assert query.next_escalation_at == utc(2026, 3, 29, 1, 30)
    assert query.next_escalation_at.astimezone(LONDON).hour == 2
    assert query.status == Query.Status.OPEN


def test_an_urgent_query_s_follow_up_clock_has_no_first_look(team):
    neighbourhood, _ = team
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12), urgent_reasons=["weapon"]
    )
    query.status = Query.Status.ANSWERED
    query.clock = 2

    clock.start(query, utc(2026, 3, 28, 12))

    assert [step.name for step in clock.ladder_for(query)] == ["reminder", "breach", "escalation"]
    assert query.next_escalation_step == "reminder"
    assert query.next_escalation_at == utc(2026, 3, 30, 12)  # 48 hours later
    assert query.due_at == utc(2026, 3, 31, 12)
    assert query.status == Query.Status.OPEN


def test_a_query_without_urgent_words_has_no_first_look(team):
    neighbourhood, _ = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    assert query.urgent_reasons == []
    assert [step.name for step in clock.ladder_for(query)] == ["reminder", "breach", "escalation"]


def test_each_step_is_followed_by_the_next_on_the_same_clock(team):
    neighbourhood, _ = team
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12), urgent_reasons=["weapon"]
    )

    following = {
        taken: getattr(clock.next_step_after(query, taken), "name", None)
        for taken in [None, "first_look", "reminder", "breach", "escalation"]
    }

    assert following == {
        None: "first_look",
        "first_look": "reminder",
        "reminder": "breach",
        "breach": "escalation",
        "escalation": None,
    }


def test_a_clock_with_an_empty_ladder_has_no_next_step(team, settings):
    neighbourhood, _ = team
    settings.QUERY_ESCALATION_LADDER = []
    query = QueryFactory.build(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    assert clock.next_step_after(query, None) is None
    assert query.next_escalation_step == ""
    assert query.next_escalation_at is None
    assert query.due_at == utc(2026, 3, 30, 12)


def test_advancing_walks_the_ladder_in_real_hours_from_the_clock_start(team):
    neighbourhood, _ = team
    # 1pm BST on Friday 23 October; the clocks go back early on Sunday 25 October.
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 10, 23, 12))

    changed = clock.advance(query, clock.step_named("reminder"))

    assert changed == ["next_escalation_step", "next_escalation_at"]
    assert query.next_escalation_step == "breach"
    assert query.next_escalation_at == utc(2026, 10, 26, 12)  # 72 h: midday GMT, not 1pm
    assert query.next_escalation_at.astimezone(LONDON).hour == 12

    clock.advance(query, clock.step_named("breach"))
    assert query.next_escalation_step == "escalation"
    assert query.next_escalation_at == utc(2026, 10, 27, 12)  # 96 hours

    assert clock.advance(query, clock.step_named("escalation")) == changed
    assert query.next_escalation_step == ""
    assert query.next_escalation_at is None


def test_advancing_a_follow_up_clock_counts_from_that_clock_s_start(team):
    neighbourhood, _ = team
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12), urgent_reasons=["weapon"]
    )
    clock.advance(query, clock.first_look())
    assert query.next_escalation_step == "reminder"
    assert query.next_escalation_at == utc(2026, 3, 29, 12)  # 48 h after the submission

    query.clock = 2
    clock.start(query, utc(2026, 4, 1, 9, 15))
    clock.advance(query, clock.step_named("reminder"))

    assert query.next_escalation_step == "breach"
    assert query.next_escalation_at == utc(2026, 4, 4, 9, 15)  # 72 h after the follow-up


# --- The record of each clock the dashboards count ---------------------------------------------


def _reply(query, at):
    return QueryEvent.objects.create(
        query=query, kind=QueryEvent.Kind.REPLY, body="We have spoken to them.", created_at=at
    )


def _answered_query(neighbourhood, officer):
    """A query on clock 2, started 10:00 UTC on Saturday 28 March, its clock 1 answered."""
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12), assigned_officer=officer
    )
    clock.record_answer(query, utc(2026, 3, 27, 18))
    query.clock = 2
    clock.start(query, utc(2026, 3, 28, 10))
    query.save()
    clock.record_start(query)
    return query


def test_recording_an_answer_fills_in_the_running_clock_only(team):
    neighbourhood, officers = team
    query = _answered_query(neighbourhood, officers["named"])
    other = _answered_query(neighbourhood, officers["team"])
    answered = datetime.datetime(2026, 3, 29, 14, tzinfo=LONDON)  # 2pm BST is 13:00 UTC
    reply = _reply(query, answered)

    clock.record_answer(query, answered, answer=reply)

    first, second = ResponseClock.objects.filter(query=query).order_by("number")
    assert (first.answered_at, first.response_seconds) == (utc(2026, 3, 27, 18), 6 * 3600)
    assert first.answer is None
    assert second.answered_at == utc(2026, 3, 29, 13)
    # 10:00 UTC Saturday to 13:00 UTC Sunday: 27 elapsed hours, though London's clocks read 28.
    assert second.response_seconds == 27 * 3600
    assert second.met_target is True
    assert second.held_by == officers["named"]
    assert second.answer == reply
    assert second.ended_at is None
    untouched = ResponseClock.objects.get(query=other, number=2)
    assert (untouched.answered_at, untouched.response_seconds, untouched.met_target) == (
        None,
        None,
        None,
    )


def test_an_answer_at_the_deadline_meets_the_target_and_a_second_later_misses_it(team):
    neighbourhood, _ = team
    on_time = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))
    late = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    clock.record_answer(on_time, utc(2026, 3, 30, 12))
    clock.record_answer(late, utc(2026, 3, 30, 12, 0, 1))

    assert ResponseClock.objects.get(query=on_time).met_target is True
    assert ResponseClock.objects.get(query=on_time).response_seconds == 72 * 3600
    assert ResponseClock.objects.get(query=late).met_target is False
    assert ResponseClock.objects.get(query=late).response_seconds == 72 * 3600 + 1


def test_an_answer_recorded_before_the_clock_started_counts_no_seconds(team):
    neighbourhood, _ = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    clock.record_answer(query, utc(2026, 3, 27, 11, 59))

    assert ResponseClock.objects.get(query=query).response_seconds == 0


def test_an_answer_at_the_clock_start_counts_zero_seconds(team):
    neighbourhood, _ = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))

    clock.record_answer(query, utc(2026, 3, 27, 12))

    assert ResponseClock.objects.get(query=query).response_seconds == 0


def test_recording_an_end_closes_the_running_clock_only(team):
    neighbourhood, officers = team
    query = _answered_query(neighbourhood, officers["named"])
    other = _answered_query(neighbourhood, officers["team"])

    clock.record_end(query, utc(2026, 3, 30, 8))

    first, second = ResponseClock.objects.filter(query=query).order_by("number")
    assert first.ended_at is None
    assert second.ended_at == utc(2026, 3, 30, 8)
    assert second.answered_at is None
    assert ResponseClock.objects.get(query=other, number=2).ended_at is None


def test_an_ended_clock_takes_no_answer_and_an_answered_clock_no_end(team):
    neighbourhood, _ = team
    ended = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))
    answered = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))
    clock.record_end(ended, utc(2026, 3, 28, 12))
    clock.record_answer(answered, utc(2026, 3, 28, 12))

    clock.record_answer(ended, utc(2026, 3, 29, 12))
    clock.record_end(answered, utc(2026, 3, 29, 12))

    ended_row = ResponseClock.objects.get(query=ended)
    assert (ended_row.ended_at, ended_row.answered_at) == (utc(2026, 3, 28, 12), None)
    answered_row = ResponseClock.objects.get(query=answered)
    assert (answered_row.answered_at, answered_row.ended_at) == (utc(2026, 3, 28, 12), None)


def test_only_the_clock_the_query_is_on_is_recorded(team):
    neighbourhood, _ = team
    # Clock 1 left without an answer on record: the answer belongs to clock 2 all the same.
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 3, 27, 12))
    query.clock = 2
    clock.start(query, utc(2026, 3, 28, 10))
    query.save()
    clock.record_start(query)

    clock.record_answer(query, utc(2026, 3, 28, 11))

    first, second = ResponseClock.objects.filter(query=query).order_by("number")
    assert first.answered_at is None
    assert (second.answered_at, second.response_seconds) == (utc(2026, 3, 28, 11), 3600)


def test_the_ladder_is_taken_in_order_of_its_hours_whatever_the_settings_order(settings):
    settings.QUERY_ESCALATION_LADDER = [
        {"step": "escalation", "after_hours": 96, "notify": ["inspector", "opcc"]},
        {"step": "reminder", "after_hours": 48, "notify": ["assigned_officer"]},
        {"step": "breach", "after_hours": 72, "notify": ["sergeant"]},
    ]

    assert clock.ladder() == [
        clock.Step("reminder", 48 * HOUR, ("assigned_officer",)),
        clock.Step("breach", 72 * HOUR, ("sergeant",)),
        clock.Step("escalation", 96 * HOUR, ("inspector", "opcc")),
    ]


def test_a_clock_started_with_a_bst_time_is_held_in_utc(time_machine, team):
    neighbourhood, _ = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=utc(2026, 7, 1, 8))
    # The servers' own zone is London (TIME_ZONE), on summer time in July: the clock must not
    # take the server's zone for the caller's.
    time_machine.move_to(datetime.datetime(2026, 7, 2, 11, tzinfo=LONDON), tick=False)
    follow_up = datetime.datetime(2026, 7, 2, 10, tzinfo=LONDON)  # 10am BST is 09:00 UTC

    clock.start(query, follow_up)

    assert query.clock_started_at == utc(2026, 7, 2, 9)
    assert query.clock_started_at.utcoffset() == datetime.timedelta(0)
    assert query.due_at.utcoffset() == datetime.timedelta(0)
    assert query.next_escalation_at.utcoffset() == datetime.timedelta(0)


def test_stopping_names_the_fields_it_changed_and_only_the_first_answer_counts(team):
    neighbourhood, officers = team
    submitted = utc(2026, 3, 27, 12)
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=submitted)

    first = clock.stop(query, submitted + 5 * HOUR, officers["named"])

    assert first == [
        "status",
        "next_escalation_at",
        "next_escalation_step",
        "first_response_at",
        "first_response_seconds",
        "first_response_met_target",
        "first_response_officer",
    ]
    assert query.first_response_at == submitted + 5 * HOUR
    assert query.first_response_officer == officers["named"]

    query.clock = 2
    clock.start(query, submitted + 6 * HOUR)
    later = clock.stop(query, submitted + 7 * HOUR, officers["team"])

    assert later == ["status", "next_escalation_at", "next_escalation_step"]
    assert query.first_response_at == submitted + 5 * HOUR
    assert query.first_response_officer == officers["named"]


def test_recording_a_start_copies_the_clock_for_the_dashboards(team):
    neighbourhood, _ = team
    query = QueryFactory(
        neighbourhood=neighbourhood,
        submitted_at=utc(2026, 3, 27, 12),
        topic=Topic.ROAD_SAFETY,
    )

    row = ResponseClock.objects.get(query=query)

    assert (row.number, row.neighbourhood, row.topic) == (1, neighbourhood, Topic.ROAD_SAFETY)
    assert (row.started_at, row.due_at) == (utc(2026, 3, 27, 12), utc(2026, 3, 30, 12))
    assert (row.answered_at, row.ended_at) == (None, None)
