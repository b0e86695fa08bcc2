"""Residents' satisfaction on the dashboard, on fixtures small enough to count by hand: each
test says how the expected numbers follow from the definitions in
dashboards.selectors.satisfaction. Times are Europe/London; February 2026 is GMT."""

import csv
import datetime
import io

import pytest
import time_machine

from config.dates import LONDON
from dashboards.periods import period_for
from dashboards.selectors.satisfaction import (
    drilldown,
    satisfaction_by_neighbourhood,
    satisfaction_figures,
    satisfaction_total,
    satisfaction_trend,
    worst_neighbourhoods,
)
from officers.scopes import Scope
from queries import clock
from queries.models import Query, QueryEvent, ResponseClock
from queries.services.feedback import answer_feedback_give
from tests.factories import DivisionFactory, NeighbourhoodFactory
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

FORCE = Scope(key="force", label="Derbyshire Constabulary (demo)", neighbourhood_ids=None)
FEBRUARY = period_for(
    preset="custom",
    first_day=datetime.date(2026, 2, 2),
    last_day=datetime.date(2026, 3, 1),
    today=datetime.date(2026, 3, 1),
)
AFTER_FEBRUARY = datetime.datetime(2026, 3, 2, 12, tzinfo=LONDON)
COMMENT = "PC Jones was rude to my neighbour Mrs Patel"


def at(month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=LONDON)


def answered(area, sent, replied) -> Query:
    """A query sent at `sent` and answered at `replied`, as query_reply records it."""
    query = QueryFactory(neighbourhood=area, submitted_at=sent)
    reply = QueryEvent.objects.create(
        query=query, kind=QueryEvent.Kind.REPLY, body="We will look.", created_at=replied
    )
    clock.stop(query, replied, None)
    query.save()
    clock.record_answer(query, replied, answer=reply)
    return query


def rated(query: Query, rating: str, comment: str = COMMENT) -> None:
    answer = ResponseClock.objects.get(query=query, number=query.clock)
    answer_feedback_give(clock=answer, rating=rating, comment=comment, now=AFTER_FEBRUARY)


def area_scope(area) -> Scope:
    return Scope(key=f"neighbourhood:{area.slug}", label=area.name, neighbourhood_ids={area.pk})


@pytest.fixture
def february():
    """Normanton: answered 2 Feb (yes), 3 Feb (no), 11 Feb (partly), 10 Feb (not rated), and
    one sent 20 Feb still open. Allenton: answered 28 Jan (yes, before the period) and 26 Feb
    (yes)."""
    division = DivisionFactory(name="Derby South", slug="derby-south")
    normanton = NeighbourhoodFactory(name="Normanton", slug="normanton", division=division)
    allenton = NeighbourhoodFactory(name="Allenton", slug="allenton", division=division)
    queries = {
        "q1": answered(normanton, at(2, 2), at(2, 2, 12)),
        "q2": answered(normanton, at(2, 3), at(2, 3, 15)),
        "q3": answered(normanton, at(2, 10), at(2, 11)),
        "q4": answered(normanton, at(2, 10), at(2, 10, 16)),
        "q6": answered(allenton, at(1, 27), at(1, 28)),
        "q7": answered(allenton, at(2, 25), at(2, 26)),
    }
    QueryFactory(neighbourhood=normanton, submitted_at=at(2, 20))
    for name, rating in [("q1", "yes"), ("q2", "no"), ("q3", "partly"), ("q6", "yes")]:
        rated(queries[name], rating)
    rated(queries["q7"], "yes")
    return normanton, allenton, queries


def test_force_figures_count_answers_sent_in_the_period_and_their_ratings(february):
    # Answers sent in February: q1, q2, q3, q4 (Normanton) and q7 (Allenton) = 5; q6 was
    # answered in January and the open query has no answer. Rated: q1 yes, q2 no, q3 partly,
    # q7 yes = 4 (q4 not rated). Response rate 4/5; yes 2/4, partly 1/4, no 1/4.
    figures = satisfaction_figures(scope=FORCE, period=FEBRUARY)

    assert (figures.answers, figures.rated) == (5, 4)
    assert (figures.yes, figures.partly, figures.no) == (2, 1, 1)
    assert figures.response_rate == 0.8
    assert (figures.share_yes, figures.share_partly, figures.share_no) == (0.5, 0.25, 0.25)


def test_a_neighbourhoods_figures_are_its_own(february):
    # Normanton: q1..q4 answered = 4; rated q1 yes, q2 no, q3 partly = 3.
    normanton, _, _ = february
    figures = satisfaction_figures(scope=area_scope(normanton), period=FEBRUARY)
    assert (figures.answers, figures.rated, figures.yes, figures.partly, figures.no) == (
        4,
        3,
        1,
        1,
        1,
    )


def test_each_answer_to_a_follow_up_is_asked_about_and_counted(february):
    # q1 (answered 2 Feb, yes) gets a follow-up on 5 Feb answered on 6 Feb, rated no: the
    # force now has 6 answers, 5 rated, yes 2, no 2.
    _, _, queries = february
    query = queries["q1"]
    query.clock += 1
    clock.start(query, at(2, 5))
    query.save()
    clock.record_start(query)
    reply = QueryEvent.objects.create(query=query, kind="reply", created_at=at(2, 6))
    clock.stop(query, at(2, 6), None)
    query.save()
    clock.record_answer(query, at(2, 6), answer=reply)
    rated(query, "no")

    figures = satisfaction_figures(scope=FORCE, period=FEBRUARY)

    assert (figures.answers, figures.rated, figures.yes, figures.no) == (6, 5, 2, 2)


def test_weekly_trend_follows_when_the_answer_was_sent(february):
    # Week of 2 Feb: q1 (yes), q2 (no). 9 Feb: q3 (partly), q4 (not rated). 16 Feb: none.
    # 23 Feb: q7 (yes).
    weeks = satisfaction_trend(scope=FORCE, period=FEBRUARY)

    assert [(w.week_start.day, w.answers, w.rated, w.yes, w.partly, w.no) for w in weeks] == [
        (2, 2, 2, 1, 0, 1),
        (9, 2, 1, 0, 1, 0),
        (16, 0, 0, 0, 0, 0),
        (23, 1, 1, 1, 0, 0),
    ]


def test_worst_neighbourhoods_need_enough_ratings_and_put_the_lowest_yes_first(february):
    # Normanton 3 rated, yes 1/3; Allenton 1 rated (q7; q6 is January), yes 1/1.
    by_name = {
        row.name: row.rated for row in satisfaction_by_neighbourhood(scope=FORCE, period=FEBRUARY)
    }
    assert by_name == {"Allenton": 1, "Normanton": 3}
    assert [r.name for r in worst_neighbourhoods(scope=FORCE, period=FEBRUARY, min_rated=1)] == [
        "Normanton",
        "Allenton",
    ]
    assert [r.name for r in worst_neighbourhoods(scope=FORCE, period=FEBRUARY, min_rated=2)] == [
        "Normanton"
    ]
    assert worst_neighbourhoods(scope=FORCE, period=FEBRUARY) == []


def test_the_drilldown_lists_the_queries_behind_a_rating(february):
    _, _, queries = february
    assert list(drilldown(scope=FORCE, period=FEBRUARY, figure="rated_yes")) == [
        queries["q7"],
        queries["q1"],
    ]
    assert list(drilldown(scope=FORCE, period=FEBRUARY, figure="rated_no")) == [queries["q2"]]
    with pytest.raises(ValueError):
        drilldown(scope=FORCE, period=FEBRUARY, figure="comments")


def test_the_figures_cost_a_fixed_number_of_statements(february, django_assert_num_queries):
    normanton, _, _ = february
    for day in range(1, 25):
        rated(answered(normanton, at(2, day), at(2, day, 18)), "no")
    with django_assert_num_queries(1):
        satisfaction_figures(scope=FORCE, period=FEBRUARY)
    with django_assert_num_queries(1):
        satisfaction_trend(scope=FORCE, period=FEBRUARY)
    with django_assert_num_queries(1):
        worst_neighbourhoods(scope=FORCE, period=FEBRUARY)


# --- Through the pages, as OPCC ---------------------------------------------------------------


@pytest.fixture
def opcc(client, opcc_account):
    client.force_login(opcc_account)
    return client


PERIOD = {"period": "custom", "from": "2026-02-02", "to": "2026-03-01"}


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_dashboard_shows_satisfaction_beside_the_response_figures(opcc, february):
    with time_machine.travel(AFTER_FEBRUARY, tick=False):
        page = opcc.get("/staff/dashboard/", PERIOD).content.decode()

    section = page[page.index('id="satisfaction"') :]
    assert "Were residents satisfied?" in section
    assert "4 of 5 (80%)" in section
    assert "figure=rated_yes" in section
    assert "(50% of rated answers)" in section
    assert COMMENT not in page


def test_opcc_sees_no_comment_in_the_drilldown_or_csv(opcc, february):
    with time_machine.travel(AFTER_FEBRUARY, tick=False):
        listing = opcc.get("/staff/dashboard/queries/", {**PERIOD, "figure": "rated_no"})
        listing_csv = rows_of(
            opcc.get("/staff/dashboard/export/queries.csv", {**PERIOD, "figure": "rated_no"})
        )
        figures_csv = rows_of(opcc.get("/staff/dashboard/export/satisfaction.csv", PERIOD))
        trend_csv = rows_of(opcc.get("/staff/dashboard/export/satisfaction-trend.csv", PERIOD))

    _, _, queries = february
    page = listing.content.decode()
    assert "Queries whose answer the resident said did not answer their query" in page
    assert queries["q2"].reference in page
    assert COMMENT not in page
    assert [row[0] for row in listing_csv] == ["Reference", queries["q2"].reference]
    assert figures_csv[0][:4] == ["Neighbourhood", "Division", "Answers sent", "Rated"]
    assert figures_csv[1] == ["All", "", "5", "4", "80", "2", "1", "1", "50", "25", "25"]
    assert figures_csv[2][:4] == ["Allenton", "Derby South", "1", "1"]
    assert figures_csv[3][:9] == ["Normanton", "Derby South", "4", "3", "75", "1", "1", "1", "33"]
    assert trend_csv[1][:7] == ["2026-02-02", "2", "2", "100", "1", "0", "1"]
    everything = repr([figures_csv, trend_csv, listing_csv])
    assert COMMENT not in everything


def test_an_unknown_figure_is_a_clear_400(opcc):
    response = opcc.get("/staff/dashboard/queries/", {"figure": "comments"})
    assert response.status_code == 400
    assert "did not answer their query" in response.content.decode()


def test_the_weeks_add_up_to_the_periods_figures(february):
    # The page takes its totals from the weekly rows, to save a statement.
    weeks = satisfaction_trend(scope=FORCE, period=FEBRUARY)
    assert satisfaction_total(weeks) == satisfaction_figures(scope=FORCE, period=FEBRUARY)
