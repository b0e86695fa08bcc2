"""The dashboard's figures on fixtures small enough to count by hand.

Each test writes its queries and clocks out with exact times, through the same recorders the
services use (queries.clock.record_start/record_answer/record_end), and says in a comment how
the expected numbers follow from the definitions in dashboards.selectors.sla. Times are
Europe/London unless they say UTC; 2026-02 is GMT, so London and UTC agree there."""

import datetime

import pytest

from config.dates import LONDON
from config.roles import Role
from dashboards.periods import Period, period_for
from dashboards.selectors.percentiles import median_and_p90
from dashboards.selectors.sla import (
    drilldown,
    drilldown_count,
    guarantee_panel,
    neighbourhood_table,
    sla_figures,
    topic_table,
    weekly_trend,
)
from officers.models import Assignment
from officers.scopes import Scope
from queries import clock
from queries.models import Query, ResponseClock, Topic
from queries.services.staff import query_reassign, query_reply
from tests.factories import AssignmentFactory, DivisionFactory, NeighbourhoodFactory
from tests.queries.factories import QueryFactory, neighbourhood_with_team

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
FORCE = Scope(key="force", label="Derbyshire Constabulary (demo)", neighbourhood_ids=None)


def at(year, month, day, hour=0, minute=0, second=0) -> datetime.datetime:
    """A London wall-clock time."""
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def utc(year, month, day, hour=0, minute=0, second=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.UTC)


def days(first: datetime.date, last: datetime.date) -> Period:
    return period_for(preset="custom", first_day=first, last_day=last, today=last)


# February 2026, four whole weeks from Monday 2 February; "now" is the day after.
FEBRUARY = days(datetime.date(2026, 2, 2), datetime.date(2026, 3, 1))
AFTER_FEBRUARY = at(2026, 3, 2, 12)


def area_scope(area) -> Scope:
    return Scope(
        key=f"neighbourhood:{area.slug}",
        label=f"Neighbourhood: {area.name}",
        neighbourhood_ids=frozenset({area.pk}),
    )


def officer_scope(officer) -> Scope:
    return Scope(
        key=f"officer:{officer.pk}",
        label=f"Officer: {officer}",
        neighbourhood_ids=frozenset(
            officer.assignments.current().values_list("neighbourhood_id", flat=True)
        ),
        officer_id=officer.pk,
    )


def submit(area, when, *, topic=Topic.ANTI_SOCIAL_BEHAVIOUR, officer=None) -> Query:
    """A query sent at `when`: its clock 1 is due 72 elapsed hours later."""
    return QueryFactory(
        neighbourhood=area, submitted_at=when, topic=topic, assigned_officer=officer
    )


def answer(query: Query, when) -> None:
    """The first reply to the running clock, at `when`."""
    clock.stop(query, when, None)
    query.save()
    clock.record_answer(query, when)


def follow_up(query: Query, when) -> None:
    """The resident writes again after an answer: a new clock of 72 hours starts."""
    query.clock += 1
    clock.start(query, when)
    query.save()
    clock.record_start(query)


def close(query: Query, when) -> None:
    query.status = Query.Status.CLOSED
    query.closed_at = when
    query.save()
    clock.record_end(query, when)


def escalate(query: Query, when) -> None:
    Query.objects.filter(pk=query.pk).update(resident_escalated_at=when)


# --- Met and missed at the deadline ----------------------------------------------------------


def test_answer_exactly_at_the_deadline_meets_the_target(area):
    # Sent Monday 2 Feb 10:00, due Thursday 5 Feb 10:00, answered 5 Feb 10:00:00.
    # met 1, missed 0: share 1/1; response 72 h = 259,200 s.
    answer(submit(area, at(2026, 2, 2, 10)), at(2026, 2, 5, 10))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.received, figures.answered, figures.met, figures.missed) == (1, 1, 1, 0)
    assert figures.share_met == 1.0
    assert figures.median_seconds == 259_200


def test_answer_one_second_after_the_deadline_misses_the_target(area):
    # Sent 2 Feb 10:00, due 5 Feb 10:00, answered 5 Feb 10:00:01: met 0, missed 1, share 0/1.
    answer(submit(area, at(2026, 2, 2, 10)), at(2026, 2, 5, 10, 0, 1))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.answered, figures.met, figures.missed) == (1, 0, 1)
    assert figures.share_met == 0.0
    assert figures.median_seconds == 259_201


# --- Across the October clock change ----------------------------------------------------------

OCTOBER = days(datetime.date(2025, 10, 20), datetime.date(2025, 11, 2))
AFTER_OCTOBER = at(2025, 11, 10, 12)


def test_clock_change_answer_72_elapsed_hours_later_meets_the_target(area):
    # Sent Friday 24 Oct 2025 10:00 BST (09:00 UTC). The clocks go back at 02:00 BST on Sunday
    # 26 Oct, so 72 elapsed hours later is Monday 27 Oct 09:00 GMT (09:00 UTC): met.
    answer(submit(area, at(2025, 10, 24, 10)), at(2025, 10, 27, 9))
    figures = sla_figures(scope=FORCE, period=OCTOBER, now=AFTER_OCTOBER)
    assert (figures.met, figures.missed) == (1, 0)
    assert figures.median_seconds == 72 * 3600


def test_clock_change_answer_at_the_same_wall_clock_time_three_days_later_misses(area):
    # Sent 24 Oct 2025 10:00 BST, answered Monday 27 Oct 10:00 GMT: the same wall-clock time
    # three days on is 73 elapsed hours (10:00 UTC minus 09:00 UTC, plus 72 h): missed.
    answer(submit(area, at(2025, 10, 24, 10)), at(2025, 10, 27, 10))
    figures = sla_figures(scope=FORCE, period=OCTOBER, now=AFTER_OCTOBER)
    assert (figures.met, figures.missed) == (0, 1)
    assert figures.median_seconds == 73 * 3600


# --- Follow-up clocks -------------------------------------------------------------------------


@pytest.fixture
def answered_then_followed_up(area):
    # Sent 2 Feb 09:00, answered 3 Feb 09:00 (24 h: met). The resident writes again on
    # 10 Feb 09:00: clock 2 is due 13 Feb 09:00 and is answered 14 Feb 09:00 (96 h: missed).
    query = submit(area, at(2026, 2, 2, 9))
    answer(query, at(2026, 2, 3, 9))
    follow_up(query, at(2026, 2, 10, 9))
    answer(query, at(2026, 2, 14, 9))
    return query


def test_follow_up_counts_in_responses_due_not_in_received(answered_then_followed_up):
    # received: clock 1 only = 1. responses due: clocks 1 and 2 = 2. answered: both = 2.
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.received, figures.responses_due, figures.answered) == (1, 2, 2)


def test_follow_up_clock_is_met_or_missed_on_its_own(answered_then_followed_up):
    # Clock 1 met, clock 2 missed: met 1, missed 1, share 1/2.
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.met, figures.missed, figures.share_met) == (1, 1, 0.5)


def test_follow_up_is_left_out_of_time_to_first_response(answered_then_followed_up):
    # First clocks answered: one, 24 h = 86,400 s; the 96 h follow-up is not a first response.
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.median_seconds, figures.p90_seconds) == (86_400, 86_400)


def test_follow_up_started_in_the_period_counts_without_its_first_clock(area):
    # Sent 20 Jan, answered 21 Jan (before February); follow-up 3 Feb 09:00, answered 4 Feb
    # 09:00 (24 h: met). February: received 0, responses due 1, met 1.
    query = submit(area, at(2026, 1, 20, 9))
    answer(query, at(2026, 1, 21, 9))
    follow_up(query, at(2026, 2, 3, 9))
    answer(query, at(2026, 2, 4, 9))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.received, figures.responses_due, figures.met, figures.missed) == (0, 1, 1, 0)
    assert figures.median_seconds is None


# --- A reassigned query -----------------------------------------------------------------------


@pytest.fixture
def reassigned(make_account):
    """Normanton's query, sent to its named officer, reassigned by the sergeant to the team
    member, answered by the sergeant while the team member held it, then reassigned to the
    inspector. The team member also serves Littleover."""
    normanton, team = neighbourhood_with_team(name="Normanton", slug="normanton")
    littleover = NeighbourhoodFactory(name="Littleover", slug="littleover")
    AssignmentFactory(
        officer=team["team"], neighbourhood=littleover, role=Assignment.Role.TEAM_MEMBER
    )
    sergeant_account = make_account(Role.OFFICER, Role.SUPERVISOR, username="sergeant")
    team["sergeant"].user = sergeant_account
    team["sergeant"].save()
    query = submit(normanton, at(2026, 2, 2, 9), officer=team["named"])
    query_reassign(query=query, by=sergeant_account, officer=team["team"], now=at(2026, 2, 2, 10))
    # Answered at 12:00 the next day: 27 h, met.
    query_reply(query=query, by=sergeant_account, message="We will visit.", now=at(2026, 2, 3, 12))
    query_reassign(
        query=query, by=sergeant_account, officer=team["inspector"], now=at(2026, 2, 4, 9)
    )
    return normanton, littleover, team


def test_reassigned_query_counts_for_its_neighbourhood(reassigned):
    normanton, littleover, _team = reassigned
    here = sla_figures(scope=area_scope(normanton), period=FEBRUARY, now=AFTER_FEBRUARY)
    elsewhere = sla_figures(scope=area_scope(littleover), period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (here.received, here.answered, here.met) == (1, 1, 1)
    assert (elsewhere.received, elsewhere.answered) == (0, 0)


def test_reassigned_query_counts_for_the_officer_who_held_it_when_answered(reassigned):
    _normanton, _littleover, team = reassigned
    figures = sla_figures(scope=officer_scope(team["team"]), period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.answered, figures.met, figures.median_seconds) == (1, 1, 27 * 3600)


@pytest.mark.parametrize("role", ["named", "inspector", "sergeant"])
def test_reassigned_query_does_not_count_for_others(reassigned, role):
    # named: held it first; inspector: holds it now; sergeant: wrote the reply.
    _normanton, _littleover, team = reassigned
    figures = sla_figures(scope=officer_scope(team[role]), period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.responses_due, figures.answered, figures.met) == (0, 0, 0)


def test_unanswered_query_counts_for_the_officer_it_is_assigned_to_now():
    # Sent 2 Feb 10:00 to the named officer, still unanswered at 3 Feb 10:00: open for them.
    team_area, team = neighbourhood_with_team(name="Alvaston")
    query = submit(team_area, at(2026, 2, 2, 10), officer=team["named"])
    Query.objects.filter(pk=query.pk).update(assigned_officer=team["team"])
    now = at(2026, 2, 3, 10)
    mine = sla_figures(scope=officer_scope(team["team"]), period=FEBRUARY, now=now)
    before = sla_figures(scope=officer_scope(team["named"]), period=FEBRUARY, now=now)
    assert (mine.open_now, mine.responses_due) == (1, 1)
    assert (before.open_now, before.responses_due) == (0, 0)


# --- Unanswered and closed clocks -------------------------------------------------------------


def test_unanswered_clock_past_its_deadline_is_missed_and_breached(area):
    # Sent 2 Feb 10:00, due 5 Feb 10:00, nothing sent by 5 Feb 10:00:01: missed 1, open 1,
    # breached 1, at risk 0, share 0/1.
    submit(area, at(2026, 2, 2, 10))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=at(2026, 2, 5, 10, 0, 1))
    assert (figures.missed, figures.open_now, figures.breached_open, figures.at_risk) == (
        1,
        1,
        1,
        0,
    )
    assert figures.share_met == 0.0


def test_unanswered_clock_at_its_deadline_is_not_yet_missed(area):
    # At 5 Feb 10:00:00 exactly the deadline has not passed: undecided (share None), at risk.
    submit(area, at(2026, 2, 2, 10))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=at(2026, 2, 5, 10))
    assert (figures.met, figures.missed, figures.breached_open, figures.at_risk) == (0, 0, 0, 1)
    assert figures.share_met is None


def test_closed_unanswered_before_the_deadline_is_neither_met_nor_missed(area):
    # Sent 2 Feb 10:00 (due 5 Feb 10:00), closed 4 Feb 10:00 without a reply: a response was
    # due, but the clock ended: met 0, missed 0 (share None), not open.
    close(submit(area, at(2026, 2, 2, 10)), at(2026, 2, 4, 10))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.responses_due, figures.met, figures.missed) == (1, 0, 0)
    assert (figures.open_now, figures.breached_open, figures.share_met) == (0, 0, None)


def test_closed_unanswered_after_the_deadline_is_missed(area):
    # Sent 2 Feb 10:00 (due 5 Feb 10:00), closed 6 Feb 10:00 unanswered: missed 1, not open.
    close(submit(area, at(2026, 2, 2, 10)), at(2026, 2, 6, 10))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.missed, figures.open_now, figures.breached_open) == (1, 0, 0)


def test_running_clocks_are_open_whatever_the_period(area):
    # Sent 2 Jan, before February, never answered: open now and breached, not in received.
    submit(area, at(2026, 1, 2, 10))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.received, figures.open_now, figures.breached_open) == (0, 1, 1)


def test_at_risk_means_due_within_the_next_24_hours(area):
    # now = 10 Feb 12:00. Sent 8 Feb 11:59 -> due 11 Feb 11:59 (in 23 h 59 min): at risk.
    # Sent 8 Feb 12:00 -> due 11 Feb 12:00 (in 24 h exactly): not at risk. Both open.
    now = at(2026, 2, 10, 12)
    submit(area, at(2026, 2, 8, 11, 59))
    submit(area, at(2026, 2, 8, 12))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=now)
    assert (figures.at_risk, figures.open_now, figures.breached_open) == (1, 2, 0)


# --- Time to first response -------------------------------------------------------------------


def test_median_and_90th_percentile_by_nearest_rank_on_ten_answers(area):
    # Answered after 5, 1, 9, 2, 70, 30, 12, 48, 7 and 100 hours; sorted:
    # 1, 2, 5, 7, 9, 12, 30, 48, 70, 100. n = 10: median = v[ceil(5)] = v5 = 9 h = 32,400 s;
    # p90 = v[ceil(9)] = v9 = 70 h = 252,000 s.
    for day, hours in enumerate([5, 1, 9, 2, 70, 30, 12, 48, 7, 100], start=2):
        sent = at(2026, 2, day, 9)
        answer(submit(area, sent), sent + hours * HOUR)
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.median_seconds, figures.p90_seconds) == (32_400, 252_000)


def test_both_ways_of_reading_the_percentiles_give_the_same_figures(area):
    """From the hours counted (force, division and neighbourhood figures), or one row read for
    each rank (an officer's figures): answers arriving out of order give the same."""
    for day, hours in enumerate([5, 1, 9, 2, 70, 30, 12, 48, 7, 100], start=2):
        sent = at(2026, 2, day, 9)
        answer(submit(area, sent), sent + hours * HOUR)
    first_answers = ResponseClock.objects.filter(number=1, answered_at__isnull=False)
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)

    assert median_and_p90(first_answers, 10) == (32_400, 252_000)
    assert (figures.median_seconds, figures.p90_seconds) == (32_400, 252_000)


def test_percentiles_round_the_rank_up(area):
    # Seven answers after 1..7 hours: median = v[ceil(3.5)] = v4 = 4 h;
    # p90 = v[ceil(6.3)] = v7 = 7 h. An unanswered query counts in neither.
    for hours in range(1, 8):
        sent = at(2026, 2, 2 + hours, 9)
        answer(submit(area, sent), sent + hours * HOUR)
    submit(area, at(2026, 2, 20, 9))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.median_seconds, figures.p90_seconds) == (4 * 3600, 7 * 3600)
    # The same ranks when the first answers are sorted (an officer's figures).
    first_answers = ResponseClock.objects.filter(number=1, answered_at__isnull=False)
    assert median_and_p90(first_answers, 7) == (4 * 3600, 7 * 3600)


def test_no_answers_gives_no_percentiles(area):
    submit(area, at(2026, 2, 2, 9))
    figures = sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.median_seconds, figures.p90_seconds) == (None, None)


# --- Weekly trend -----------------------------------------------------------------------------


@pytest.fixture
def october_weeks(area):
    """Clocks either side of London midnights around the change from BST (26 Oct 2025).
    Weeks start on London Mondays: 13, 20 and 27 October."""
    submit(area, at(2025, 10, 12, 23, 30))  # before the period
    submit(area, at(2025, 10, 19, 23, 30))  # Sun 19 Oct BST: week of 13 Oct, unanswered
    # Mon 20 Oct 00:30 BST is still Sunday 19 Oct 23:30 in UTC: London puts it in the week of
    # 20 Oct. Answered an hour later: met.
    monday = submit(area, at(2025, 10, 20, 0, 30))
    answer(monday, at(2025, 10, 20, 1, 30))
    late = submit(area, at(2025, 10, 26, 23, 30))  # Sun 26 Oct, GMT now: week of 20 Oct
    answer(late, at(2025, 10, 30, 7, 30))  # 80 h: missed
    early = submit(area, at(2025, 10, 27, 0, 30))  # Mon 27 Oct GMT: week of 27 Oct
    answer(early, at(2025, 10, 27, 2, 30))  # met
    submit(area, at(2025, 11, 3, 0, 0))  # after the period


def test_weekly_trend_buckets_clocks_by_london_monday_across_the_clock_change(october_weeks):
    # now 10 Nov: every unanswered clock is past due, so missed.
    # 13 Oct: 1 due, 0 answered, 0 met, 1 missed, share 0.
    # 20 Oct: 2 due, 2 answered, 1 met, 1 missed, share 1/2.
    # 27 Oct: 1 due, 1 answered, 1 met, 0 missed, share 1.
    period = days(datetime.date(2025, 10, 13), datetime.date(2025, 11, 2))
    weeks = weekly_trend(scope=FORCE, period=period, now=AFTER_OCTOBER)
    assert [
        (w.week_start, w.responses_due, w.answered, w.met, w.missed, w.share_met) for w in weeks
    ] == [
        (datetime.date(2025, 10, 13), 1, 0, 0, 1, 0.0),
        (datetime.date(2025, 10, 20), 2, 2, 1, 1, 0.5),
        (datetime.date(2025, 10, 27), 1, 1, 1, 0, 1.0),
    ]


def test_weekly_trend_counts_only_the_period_in_a_partial_first_week(october_weeks):
    # From Wednesday 15 Oct: the week of 13 Oct is still a row, holding 19 Oct's clock.
    # To Sunday 26 Oct: 27 Oct's week is not in the period.
    period = days(datetime.date(2025, 10, 15), datetime.date(2025, 10, 26))
    weeks = weekly_trend(scope=FORCE, period=period, now=AFTER_OCTOBER)
    assert [(w.week_start, w.responses_due) for w in weeks] == [
        (datetime.date(2025, 10, 13), 1),
        (datetime.date(2025, 10, 20), 2),
    ]


def test_weekly_trend_has_a_row_of_zeros_for_a_week_without_queries(area):
    weeks = weekly_trend(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert [w.week_start for w in weeks] == [
        datetime.date(2026, 2, 2),
        datetime.date(2026, 2, 9),
        datetime.date(2026, 2, 16),
        datetime.date(2026, 2, 23),
    ]
    assert {(w.responses_due, w.met, w.missed, w.share_met) for w in weeks} == {(0, 0, 0, None)}


def test_weekly_trend_ends_with_the_week_of_a_period_ending_on_a_monday(area):
    # Monday 2 to Monday 9 February: two rows, the second holding 9 Feb's query.
    submit(area, at(2026, 2, 9, 10))
    period = days(datetime.date(2026, 2, 2), datetime.date(2026, 2, 9))
    weeks = weekly_trend(scope=FORCE, period=period, now=AFTER_FEBRUARY)
    assert [(w.week_start, w.responses_due) for w in weeks] == [
        (datetime.date(2026, 2, 2), 0),
        (datetime.date(2026, 2, 9), 1),
    ]


@pytest.mark.parametrize("scope_name", ["force", "officer"])
def test_weekly_trend_and_topics_are_read_at_the_moment_asked(scope_name):
    # Sent Monday 2 Feb 10:00 to the named officer, due Thursday 5 Feb 10:00, unanswered.
    # Asked about Tuesday 3 Feb midday: due, not yet missed, so no share.
    area, team = neighbourhood_with_team(name="Alvaston")
    submit(area, at(2026, 2, 2, 10), officer=team["named"])
    scope = {"force": FORCE, "officer": officer_scope(team["named"])}[scope_name]
    moment = at(2026, 2, 3, 12)
    [week, *_] = weekly_trend(scope=scope, period=FEBRUARY, now=moment)
    assert (week.responses_due, week.missed, week.share_met) == (1, 0, None)
    [asb, *_] = topic_table(scope=scope, period=FEBRUARY, now=moment)
    assert (asb.topic, asb.responses_due, asb.missed, asb.share_met) == ("asb", 1, 0, None)


# --- Neighbourhood table ----------------------------------------------------------------------


@pytest.fixture
def division_areas():
    """Five neighbourhoods of one division, each with a known share, and one elsewhere."""
    division = DivisionFactory(name="Derby South")
    areas = {
        name: NeighbourhoodFactory(name=name, slug=name.lower(), division=division)
        for name in ["Alvaston", "Belper", "Chaddesden", "Darley", "Etwall"]
    }
    elsewhere = NeighbourhoodFactory(name="Matlock", slug="matlock")
    sent = at(2026, 2, 2, 9)
    met, late = sent + 10 * HOUR, sent + 80 * HOUR
    answer(submit(areas["Alvaston"], sent), met)  # 1 met: share 1
    answer(submit(areas["Belper"], sent), met)  # 1 met, 1 missed: share 1/2
    answer(submit(areas["Belper"], sent), late)
    submit(areas["Chaddesden"], at(2026, 2, 28, 9))  # open, not yet due: share None
    answer(submit(areas["Darley"], sent), met)  # 1 met, 1 missed (unanswered): 1/2
    submit(areas["Darley"], sent)
    answer(submit(areas["Etwall"], sent), late)  # 1 missed: share 0
    answer(submit(elsewhere, sent), late)
    scope = Scope(
        key=f"division:{division.slug}",
        label="Division: Derby South",
        neighbourhood_ids=frozenset(area.pk for area in areas.values()),
    )
    return scope, areas


def test_neighbourhood_table_is_worst_share_first_then_by_name_no_share_last(division_areas):
    # Etwall 0, Belper 1/2 and Darley 1/2 (by name), Alvaston 1, Chaddesden (no share) last.
    scope, _areas = division_areas
    rows = neighbourhood_table(scope=scope, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert [(row.name, row.share_met) for row in rows] == [
        ("Etwall", 0.0),
        ("Belper", 0.5),
        ("Darley", 0.5),
        ("Alvaston", 1.0),
        ("Chaddesden", None),
    ]


def test_neighbourhood_table_row_holds_each_figure(division_areas):
    # Darley: 2 received, 2 due, 1 answered, 1 met, 1 missed; the unanswered one is open and
    # breached (due 5 Feb, now 2 Mar).
    scope, areas = division_areas
    rows = neighbourhood_table(scope=scope, period=FEBRUARY, now=AFTER_FEBRUARY)
    darley = next(row for row in rows if row.name == "Darley")
    assert darley.neighbourhood_id == areas["Darley"].pk
    assert (darley.slug, darley.division_name) == ("darley", "Derby South")
    assert (
        darley.received,
        darley.responses_due,
        darley.answered,
        darley.met,
        darley.missed,
        darley.open_now,
        darley.breached_open,
    ) == (2, 2, 1, 1, 1, 1, 1)


def test_neighbourhood_table_for_an_officer_lists_where_they_serve():
    # The named officer serves Alvaston; no queries yet: one row with no share.
    _area, team = neighbourhood_with_team(name="Alvaston")
    rows = neighbourhood_table(
        scope=officer_scope(team["named"]), period=FEBRUARY, now=AFTER_FEBRUARY
    )
    assert [(row.name, row.responses_due, row.share_met) for row in rows] == [("Alvaston", 0, None)]


def test_neighbourhood_table_for_the_force_lists_a_neighbourhood_without_queries_or_division():
    # Alvaston: one query sent 2 Feb 09:00, answered 10 h later: received 1, share 1/1.
    # Belper: no queries at all, still a row: received 0, no share, so last; in no division,
    # so its division's name is empty.
    alvaston = NeighbourhoodFactory(name="Alvaston", division__name="Derby South")
    NeighbourhoodFactory(name="Belper", division=None)
    sent = at(2026, 2, 2, 9)
    answer(submit(alvaston, sent), sent + 10 * HOUR)
    rows = neighbourhood_table(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert [(row.name, row.division_name, row.received, row.share_met) for row in rows] == [
        ("Alvaston", "Derby South", 1, 1.0),
        ("Belper", "", 0, None),
    ]


def test_neighbourhood_table_for_an_officer_adds_where_their_clocks_fall():
    # The named officer serves Alvaston (no queries) and is assigned a Belper query sent
    # 28 Feb 09:00, due 3 Mar 09:00, unanswered on 2 Mar: Belper is theirs too, received 1
    # and open 1, neither met nor missed (no share). Both without a share: by name.
    _area, team = neighbourhood_with_team(name="Alvaston")
    submit(NeighbourhoodFactory(name="Belper"), at(2026, 2, 28, 9), officer=team["named"])
    rows = neighbourhood_table(
        scope=officer_scope(team["named"]), period=FEBRUARY, now=AFTER_FEBRUARY
    )
    assert [(row.name, row.received, row.open_now, row.share_met) for row in rows] == [
        ("Alvaston", 0, 0, None),
        ("Belper", 1, 1, None),
    ]


# --- Topics -----------------------------------------------------------------------------------


def test_topic_table_counts_each_topic_in_the_order_residents_choose(area):
    # Anti-social behaviour: 2 received, 2 due, 1 met, 1 missed.
    # Road safety: 1 received (answered in 5 h: met) and its follow-up (unanswered, past due:
    # missed): 2 due, 1 met, 1 missed. Every other topic: zeros, no share.
    sent = at(2026, 2, 2, 9)
    answer(submit(area, sent), sent + 5 * HOUR)
    answer(submit(area, sent), sent + 73 * HOUR)
    road = submit(area, sent, topic=Topic.ROAD_SAFETY)
    answer(road, sent + 5 * HOUR)
    follow_up(road, at(2026, 2, 9, 9))
    rows = topic_table(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert [
        (row.topic, row.label, row.received, row.responses_due, row.met, row.missed, row.share_met)
        for row in rows
    ] == [
        ("asb", "Anti-social behaviour", 2, 2, 1, 1, 0.5),
        ("drugs", "Drugs", 0, 0, 0, 0, None),
        ("road_safety", "Road safety", 1, 2, 1, 1, 0.5),
        ("neighbour_dispute", "Neighbour dispute", 0, 0, 0, 0, None),
        ("crime_prevention", "Crime prevention advice", 0, 0, 0, 0, None),
        ("other", "Something else", 0, 0, 0, 0, None),
    ]


def test_topic_table_lists_a_topic_no_longer_offered_last_under_its_own_name(area):
    # A query kept from when residents could choose "lost_property": its own row, last.
    answer(submit(area, at(2026, 2, 2, 9), topic="lost_property"), at(2026, 2, 2, 10))
    rows = topic_table(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (rows[-1].topic, rows[-1].label, rows[-1].received, rows[-1].met) == (
        "lost_property",
        "lost_property",
        1,
        1,
    )


# --- Resident escalations ---------------------------------------------------------------------


def test_resident_escalations_count_those_in_the_period_and_scope(area):
    # February is [2 Feb 00:00, 2 Mar 00:00). In: 2 Feb 00:00 and 1 Mar 23:59:59. Out: 1 Feb
    # 23:59:59, 2 Mar 00:00, and one in another neighbourhood. Normanton's count: 2.
    elsewhere = NeighbourhoodFactory(name="Matlock")
    sent = at(2026, 1, 20, 9)
    for when in [at(2026, 2, 2), at(2026, 3, 1, 23, 59, 59), at(2026, 2, 1, 23, 59, 59)]:
        escalate(submit(area, sent), when)
    escalate(submit(area, sent), at(2026, 3, 2))
    escalate(submit(elsewhere, sent), at(2026, 2, 10))
    figures = sla_figures(scope=area_scope(area), period=FEBRUARY, now=AFTER_FEBRUARY)
    assert figures.resident_escalations == 2


def test_an_officers_escalations_and_urgent_words_count_their_own_queries_apart():
    # The named officer's queries in February: ESCALATED (sent 3 Feb, escalated by the
    # resident 10 Feb, calm words), URGENT (sent 5 Feb with urgent words, not escalated) and
    # CALM (neither); OLD was escalated on 20 Jan, before the period. Another officer's query
    # is both escalated and urgent. Theirs: 1 escalation, 1 with urgent words.
    area, team = neighbourhood_with_team(name="Alvaston")
    named, other = team["named"], team["team"]

    def sent(when, officer, reasons=()):
        return QueryFactory(
            neighbourhood=area,
            submitted_at=when,
            assigned_officer=officer,
            urgent_reasons=list(reasons),
        )

    escalate(sent(at(2026, 2, 3, 9), named), at(2026, 2, 10, 9))
    sent(at(2026, 2, 5, 9), named, ["a weapon"])
    sent(at(2026, 2, 6, 9), named)
    escalate(sent(at(2026, 1, 6, 9), named), at(2026, 1, 20, 9))
    escalate(sent(at(2026, 2, 7, 9), other, ["a weapon"]), at(2026, 2, 11, 9))

    figures = sla_figures(scope=officer_scope(named), period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.resident_escalations, figures.urgent_flagged) == (1, 1)


def test_an_officers_escalations_include_queries_they_held_when_answered(reassigned):
    # The team member held Normanton's query when it was answered (it is the inspector's
    # now); the resident escalated it on 10 Feb. MINE is assigned to the team member and
    # escalated on 11 Feb; NOBODY's, assigned to no one, on 12 Feb. The team member's: the
    # held one and MINE (2), newest sent first; the inspector's: the one they hold now (1).
    normanton, _littleover, team = reassigned
    held = Query.objects.get(neighbourhood=normanton)
    escalate(held, at(2026, 2, 10, 9))
    for reference, officer, day in [("MINE", team["team"], 11), ("NOBODY", None, 12)]:
        query = QueryFactory(
            reference=reference,
            neighbourhood=normanton,
            submitted_at=at(2026, 2, 5, 9),
            assigned_officer=officer,
        )
        escalate(query, at(2026, 2, day, 9))

    def escalations(officer):
        scope = officer_scope(officer)
        figures = sla_figures(scope=scope, period=FEBRUARY, now=AFTER_FEBRUARY)
        listed = drilldown(scope=scope, period=FEBRUARY, figure="escalated", now=AFTER_FEBRUARY)
        return figures.resident_escalations, [query.reference for query in listed]

    assert escalations(team["team"]) == (2, ["MINE", held.reference])
    assert escalations(team["inspector"]) == (1, [held.reference])


def test_an_officers_time_to_first_response_leaves_their_follow_ups_out():
    # Sent to the named officer 2 Feb 09:00, answered 3 Feb 19:00 (34 h); the resident writes
    # again 10 Feb 09:00 and is answered an hour later. One first answer: median and 90th
    # percentile both 34 h = 122,400 s; the 1 h follow-up is not a first response.
    team_area, team = neighbourhood_with_team(name="Alvaston")
    query = submit(team_area, at(2026, 2, 2, 9), officer=team["named"])
    answer(query, at(2026, 2, 3, 19))
    follow_up(query, at(2026, 2, 10, 9))
    answer(query, at(2026, 2, 10, 10))
    figures = sla_figures(scope=officer_scope(team["named"]), period=FEBRUARY, now=AFTER_FEBRUARY)
    assert (figures.answered, figures.median_seconds, figures.p90_seconds) == (
        2,
        122_400,
        122_400,
    )


# --- Periods ----------------------------------------------------------------------------------

SUMMER_DAY = datetime.date(2026, 7, 15)


@pytest.mark.parametrize(
    ("preset", "first_day"),
    [
        ("7", datetime.date(2026, 7, 9)),
        ("28", datetime.date(2026, 6, 18)),
        ("90", datetime.date(2026, 4, 17)),
        ("365", datetime.date(2025, 7, 16)),
    ],
)
def test_preset_periods_end_today_and_include_it(preset, first_day):
    period = period_for(preset=preset, first_day=None, last_day=None, today=SUMMER_DAY)
    assert (period.first_day, period.last_day, period.preset) == (first_day, SUMMER_DAY, preset)
    assert period.days == int(preset)


def test_default_period_is_the_last_28_days():
    period = period_for(preset=None, first_day=None, last_day=None, today=SUMMER_DAY)
    assert (period.preset, period.first_day) == ("28", datetime.date(2026, 6, 18))


def test_period_runs_from_london_midnight_in_summer_time():
    # 18 Jun 00:00 BST is 17 Jun 23:00 UTC; the end is 16 Jul 00:00 BST, 15 Jul 23:00 UTC.
    period = period_for(preset="28", first_day=None, last_day=None, today=SUMMER_DAY)
    assert period.start == utc(2026, 6, 17, 23)
    assert period.end == utc(2026, 7, 15, 23)


def test_custom_period_runs_from_london_midnight_in_winter_time():
    # 1 Dec 00:00 GMT to 1 Jan 00:00 GMT: the same instants in UTC.
    period = period_for(
        preset="custom",
        first_day=datetime.date(2025, 12, 1),
        last_day=datetime.date(2025, 12, 31),
        today=SUMMER_DAY,
    )
    assert (period.start, period.end) == (utc(2025, 12, 1), utc(2026, 1, 1))
    assert period.preset == "custom"


def test_custom_period_across_the_clock_change_is_one_hour_longer():
    # 1 Oct 00:00 BST (30 Sep 23:00 UTC) to 1 Nov 00:00 GMT: 31 days and 1 hour.
    period = period_for(
        preset="custom",
        first_day=datetime.date(2025, 10, 1),
        last_day=datetime.date(2025, 10, 31),
        today=SUMMER_DAY,
    )
    assert (period.start, period.end) == (utc(2025, 9, 30, 23), utc(2025, 11, 1))
    assert period.end - period.start == datetime.timedelta(days=31, hours=1)


def test_custom_period_includes_its_last_day_up_to_london_midnight(area):
    # To 31 Oct 2025 inclusive: a query at 31 Oct 23:59:59 GMT counts, one at 1 Nov 00:00
    # does not; from 1 Oct: one at 1 Oct 00:00 BST counts, 30 Sep 23:59:59 BST does not.
    for when in [
        at(2025, 9, 30, 23, 59, 59),
        at(2025, 10, 1, 0, 0),
        at(2025, 10, 31, 23, 59, 59),
        at(2025, 11, 1, 0, 0),
    ]:
        submit(area, when)
    period = period_for(
        preset="custom",
        first_day=datetime.date(2025, 10, 1),
        last_day=datetime.date(2025, 10, 31),
        today=SUMMER_DAY,
    )
    assert sla_figures(scope=FORCE, period=period, now=AFTER_OCTOBER).received == 2


def test_dates_without_a_preset_make_a_custom_period():
    period = period_for(
        preset="",
        first_day=datetime.date(2026, 7, 1),
        last_day=datetime.date(2026, 7, 1),
        today=SUMMER_DAY,
    )
    assert (period.preset, period.days) == ("custom", 1)


def test_custom_period_of_exactly_three_years_is_accepted():
    period = period_for(
        preset="custom",
        first_day=datetime.date(2023, 7, 15),
        last_day=datetime.date(2026, 7, 14),
        today=SUMMER_DAY,
    )
    assert period.days == 1096


@pytest.mark.parametrize(
    ("preset", "first_day", "last_day", "message"),
    [
        ("30", None, None, "Choose a period"),
        ("custom", None, datetime.date(2026, 7, 1), "Enter both"),
        ("custom", datetime.date(2026, 7, 1), None, "Enter both"),
        ("custom", datetime.date(2026, 7, 2), datetime.date(2026, 7, 1), "same as or after"),
        ("custom", datetime.date(2026, 7, 1), datetime.date(2026, 7, 16), "today or in the past"),
        ("custom", datetime.date(2023, 7, 14), datetime.date(2026, 7, 14), "at most 3 years"),
    ],
)
def test_period_refuses_what_is_not_one(preset, first_day, last_day, message):
    with pytest.raises(ValueError, match=message):
        period_for(preset=preset, first_day=first_day, last_day=last_day, today=SUMMER_DAY)


# --- Drill-down -------------------------------------------------------------------------------


@pytest.fixture
def one_of_each(area):
    """now = 10 Feb 12:00. One query for each state, by reference."""
    now = at(2026, 2, 10, 12)

    def sent(reference, when):
        return QueryFactory(reference=reference, neighbourhood=area, submitted_at=when)

    answer(sent("MET", at(2026, 2, 2, 9)), at(2026, 2, 3, 9))
    answer(sent("LATE", at(2026, 2, 2, 10)), at(2026, 2, 6, 10))
    sent("BREACHED", at(2026, 2, 3, 9))  # due 6 Feb 09:00: breached
    sent("AT_RISK", at(2026, 2, 8, 9))  # due 11 Feb 09:00, within 24 h: at risk
    sent("OPEN", at(2026, 2, 10, 9))  # due 13 Feb: open, not at risk
    close(sent("CLOSED", at(2026, 2, 4, 9)), at(2026, 2, 5, 9))
    escalate(sent("ESCALATED", at(2026, 1, 5, 9)), at(2026, 2, 9, 9))
    period = days(datetime.date(2026, 2, 2), datetime.date(2026, 2, 10))
    return period, now


@pytest.mark.parametrize(
    ("figure", "references"),
    [
        ("received", ["OPEN", "AT_RISK", "CLOSED", "BREACHED", "LATE", "MET"]),
        ("answered", ["LATE", "MET"]),
        ("met", ["MET"]),
        ("missed", ["BREACHED", "LATE"]),
        ("open", ["OPEN", "AT_RISK", "BREACHED", "ESCALATED"]),
        ("at_risk", ["AT_RISK"]),
        ("breached", ["BREACHED", "ESCALATED"]),
        ("escalated", ["ESCALATED"]),
    ],
)
def test_drilldown_lists_the_queries_behind_each_figure_newest_first(
    one_of_each, figure, references
):
    period, now = one_of_each
    queries = drilldown(scope=FORCE, period=period, figure=figure, now=now)
    assert [query.reference for query in queries] == references


def test_drilldown_lists_a_query_once_whatever_its_clocks(area):
    query = submit(area, at(2026, 2, 2, 9))
    answer(query, at(2026, 2, 3, 9))
    follow_up(query, at(2026, 2, 4, 9))
    answer(query, at(2026, 2, 4, 10))
    queries = drilldown(scope=FORCE, period=FEBRUARY, figure="met", now=AFTER_FEBRUARY)
    assert [q.pk for q in queries] == [query.pk]


def test_drilldown_does_not_load_the_residents_details(area):
    submit(area, at(2026, 2, 2, 9))
    [query] = drilldown(scope=FORCE, period=FEBRUARY, figure="received", now=AFTER_FEBRUARY)
    assert {"name", "email", "phone", "message"} <= query.get_deferred_fields()


def test_drilldown_refuses_an_unknown_figure():
    with pytest.raises(ValueError, match="not a dashboard figure"):
        drilldown(scope=FORCE, period=FEBRUARY, figure="everything", now=AFTER_FEBRUARY)


def test_drilldown_refusal_quotes_at_most_40_characters_of_the_figure():
    with pytest.raises(ValueError) as refused:
        drilldown(scope=FORCE, period=FEBRUARY, figure="x" * 50, now=AFTER_FEBRUARY)
    assert str(refused.value) == f"“{'x' * 40}” is not a dashboard figure."


def test_drilldown_lists_queries_sent_at_the_same_moment_highest_number_first(area):
    # Three queries sent at 9:00 on 2 Feb, written highest number first (as an import may):
    # newest first cannot tell them apart by time, so the highest number comes first.
    for pk, reference in [(9003, "C"), (9002, "B"), (9001, "A")]:
        QueryFactory(pk=pk, reference=reference, neighbourhood=area, submitted_at=at(2026, 2, 2, 9))
    queries = drilldown(scope=FORCE, period=FEBRUARY, figure="received", now=AFTER_FEBRUARY)
    assert [query.reference for query in queries] == ["C", "B", "A"]


def test_drilldown_lists_the_queries_sent_with_urgent_words_in_the_period_and_scope(area):
    # February is [2 Feb 00:00, 2 Mar 00:00). Urgent and in: 2 Feb 00:00 and 1 Mar 23:59:59.
    # Out: urgent at 1 Feb 23:59:59 and 2 Mar 00:00, urgent in another neighbourhood, and one
    # in the period without urgent words. The neighbourhood's urgent count: 2; the force's 3.
    elsewhere = NeighbourhoodFactory(name="Matlock")

    def sent(reference, where, when, reasons):
        QueryFactory(
            reference=reference, neighbourhood=where, submitted_at=when, urgent_reasons=reasons
        )

    sent("FIRST", area, at(2026, 2, 2), ["a weapon"])
    sent("LAST", area, at(2026, 3, 1, 23, 59, 59), ["someone hurt"])
    sent("BEFORE", area, at(2026, 2, 1, 23, 59, 59), ["a weapon"])
    sent("AFTER", area, at(2026, 3, 2), ["a weapon"])
    sent("ELSEWHERE", elsewhere, at(2026, 2, 10), ["a weapon"])
    sent("CALM", area, at(2026, 2, 10), [])
    scope = area_scope(area)

    queries = drilldown(scope=scope, period=FEBRUARY, figure="urgent", now=AFTER_FEBRUARY)
    assert [query.reference for query in queries] == ["LAST", "FIRST"]
    assert sla_figures(scope=scope, period=FEBRUARY, now=AFTER_FEBRUARY).urgent_flagged == 2
    assert sla_figures(scope=FORCE, period=FEBRUARY, now=AFTER_FEBRUARY).urgent_flagged == 3


@pytest.mark.parametrize(
    ("figure", "count"),
    [("open", 4), ("at_risk", 1), ("breached", 2), ("received", None), ("missed", None)],
)
def test_drilldown_count_of_a_running_figure_is_the_number_of_queries_listed(
    one_of_each, figure, count
):
    # As the lists above: open OPEN, AT_RISK, BREACHED, ESCALATED; at risk AT_RISK; breached
    # BREACHED, ESCALATED. The period's figures are counted from their list (None).
    period, now = one_of_each
    assert drilldown_count(scope=FORCE, period=period, figure=figure, now=now) == count


def test_drilldown_count_of_an_officers_figure_is_left_to_the_list(one_of_each):
    period, now = one_of_each
    officer = Scope(key="officer:1", label="Officer", neighbourhood_ids=frozenset(), officer_id=1)
    assert drilldown_count(scope=officer, period=period, figure="open", now=now) is None


# --- A fixed number of statements, whatever the data ------------------------------------------


def _seed(count: int, areas, officer) -> None:
    """`count` queries over February in every state, through bulk inserts."""
    from queries.models import ResponseClock

    topics = list(Topic)
    queries = [
        QueryFactory.build(
            neighbourhood=areas[i % len(areas)],
            submitted_at=at(2026, 2, 2) + (i * 97 % (27 * 24)) * HOUR,
            topic=topics[i % len(topics)],
            assigned_officer=officer if i % 3 == 0 else None,
            resident_escalated_at=at(2026, 2, 20) if i % 7 == 0 else None,
        )
        for i in range(count)
    ]
    Query.objects.bulk_create(queries)
    clocks = []
    for i, query in enumerate(queries):
        row = ResponseClock(
            query=query,
            number=1,
            neighbourhood_id=query.neighbourhood_id,
            topic=query.topic,
            started_at=query.clock_started_at,
            due_at=query.due_at,
        )
        state = i % 4
        if state in (1, 2):
            hours = 10 if state == 1 else 80
            row.answered_at = row.started_at + hours * HOUR
            row.response_seconds = hours * 3600
            row.met_target = state == 1
            row.held_by = officer if i % 2 else None
        elif state == 3:
            row.ended_at = row.started_at + 5 * HOUR
        clocks.append(row)
    ResponseClock.objects.bulk_create(clocks)


SELECTORS = {
    "sla_figures": (4, lambda scope: sla_figures(scope=scope, period=FEBRUARY, now=AT_END)),
    "weekly_trend": (1, lambda scope: weekly_trend(scope=scope, period=FEBRUARY, now=AT_END)),
    "neighbourhood_table": (
        2,
        lambda scope: neighbourhood_table(scope=scope, period=FEBRUARY, now=AT_END),
    ),
    "topic_table": (1, lambda scope: topic_table(scope=scope, period=FEBRUARY, now=AT_END)),
    "guarantee_panel": (2, lambda scope: guarantee_panel(scope=scope, now=AT_END)),
    "drilldown": (
        1,
        lambda scope: [
            (q.reference, q.neighbourhood.name, q.assigned_officer)
            for q in drilldown(scope=scope, period=FEBRUARY, figure="missed", now=AT_END)[:50]
        ],
    ),
}
AT_END = at(2026, 2, 20, 12)


@pytest.fixture
def seeded(request):
    team_area, team = neighbourhood_with_team(name="Alvaston")
    other = NeighbourhoodFactory(name="Belper")
    _seed(request.param, [team_area, other], team["named"])
    return {
        "force": FORCE,
        "neighbourhood": area_scope(team_area),
        "officer": officer_scope(team["named"]),
    }


@pytest.mark.parametrize("seeded", [10, 300], indirect=True)
@pytest.mark.parametrize("scope_name", ["force", "neighbourhood", "officer"])
@pytest.mark.parametrize("selector", sorted(SELECTORS))
def test_each_selector_runs_a_fixed_number_of_statements(
    seeded, scope_name, selector, django_assert_num_queries
):
    statements, run = SELECTORS[selector]
    with django_assert_num_queries(statements):
        result = run(seeded[scope_name])
    assert result is not None


@pytest.mark.parametrize("seeded", [300], indirect=True)
def test_seeded_figures_are_not_empty(seeded):
    # The statement counts above are over data that is there: every state is represented.
    figures = sla_figures(scope=seeded["force"], period=FEBRUARY, now=AT_END)
    assert figures.received == 300
    assert min(figures.met, figures.missed, figures.open_now, figures.resident_escalations) > 0
    assert figures.median_seconds is not None
