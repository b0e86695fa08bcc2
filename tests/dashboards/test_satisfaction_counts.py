# ruff: noqa: F811 (the hand-worked fixture, imported under its own name)
"""The answer counts the satisfaction figures sum (queries.models.AnswerDay and AnswerWeek) give
exactly the figures counted from the clock and rating rows themselves, however they were
written, changed or deleted: answers sent one by one and in bulk, ratings given, a rating
changed, an answer moved and taken back, queries anonymised and deleted, ratings deleted.

The hand-worked fixtures of tests/dashboards/test_satisfaction.py and a hundred bulk-inserted
clocks are counted twice after every change, over periods that start and end mid-week: by the
selectors from the counts, and by the same selectors counting clock rows."""

import datetime
import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.dates import LONDON
from dashboards.periods import period_for
from dashboards.selectors import satisfaction, tallied
from queries.models import (
    ANSWER_COUNTS,
    AnswerDay,
    AnswerFeedback,
    AnswerWeek,
    Query,
    ResponseClock,
)
from queries.services.sla import queries_anonymise_expired
from tests.dashboards.test_dashboard_figures import _seed, days
from tests.dashboards.test_satisfaction import (
    AFTER_FEBRUARY,
    FEBRUARY,
    FORCE,
    answered,
    area_scope,
    at,
    rated,
)
from tests.dashboards.test_satisfaction import february as hand_worked  # noqa: F401

pytestmark = pytest.mark.django_db

PERIODS = [
    FEBRUARY,
    # Wednesday 4 to Tuesday 24 February: part weeks at both ends, whole weeks between.
    days(datetime.date(2026, 2, 4), datetime.date(2026, 2, 24)),
    # Thursday to Monday, inside no whole week.
    days(datetime.date(2026, 2, 12), datetime.date(2026, 2, 16)),
    days(datetime.date(2026, 2, 11), datetime.date(2026, 2, 11)),
    period_for(preset="1095", first_day=None, last_day=None, today=datetime.date(2026, 3, 1)),
]


def _direct(monkeypatch, call):
    """The same selector counting clock rows, as it does where no counts are kept."""
    with monkeypatch.context() as patched:
        patched.setattr(tallied, "applies", lambda scope: False)
        return call()


def _selectors(scope, period):
    return {
        "figures": lambda: satisfaction.satisfaction_figures(scope=scope, period=period),
        "trend": lambda: satisfaction.satisfaction_trend(scope=scope, period=period),
        "by_neighbourhood": lambda: satisfaction.satisfaction_by_neighbourhood(
            scope=scope, period=period
        ),
        "worst": lambda: satisfaction.worst_neighbourhoods(scope=scope, period=period, min_rated=1),
    }


def _day_rows() -> dict[tuple, dict[str, int]]:
    """The kept day counts, leaving out rows all of whose counts went back to zero."""
    return {
        (row.pop("day"), row.pop("neighbourhood_id")): row
        for row in AnswerDay.objects.values("day", "neighbourhood_id", *ANSWER_COUNTS)
        if any(row[name] for name in ANSWER_COUNTS)
    }


def _days_counted() -> dict[tuple, dict[str, int]]:
    """The same, counted from the answered clocks and their ratings."""
    counted: dict[tuple, dict[str, int]] = {}
    clocks = ResponseClock.objects.filter(answered_at__isnull=False).values(
        "answered_at", "neighbourhood_id", "feedback__rating"
    )
    for clock in clocks:
        key = (clock["answered_at"].astimezone(LONDON).date(), clock["neighbourhood_id"])
        into = counted.setdefault(key, dict.fromkeys(ANSWER_COUNTS, 0))
        rating = clock["feedback__rating"]
        into["answers"] += 1
        into["rated"] += rating is not None
        if rating is not None:
            into[rating] += 1
    return counted


def _week_rows() -> dict[tuple, dict[str, int]]:
    return {
        (row.pop("week"), row.pop("neighbourhood_id")): row
        for row in AnswerWeek.objects.values("week", "neighbourhood_id", *ANSWER_COUNTS)
        if any(row[name] for name in ANSWER_COUNTS)
    }


def _weeks_from_days() -> dict[tuple, dict[str, int]]:
    summed: dict[tuple, dict[str, int]] = {}
    for (day, area), row in _day_rows().items():
        monday = day - datetime.timedelta(days=day.weekday())
        into = summed.setdefault((monday, area), dict.fromkeys(ANSWER_COUNTS, 0))
        for name in ANSWER_COUNTS:
            into[name] += row[name]
    return {key: row for key, row in summed.items() if any(row.values())}


def _same_figures(monkeypatch, scopes) -> int:
    """Every selector over every period and scope, from the counts and from the rows."""
    assert _day_rows() == _days_counted()
    assert _week_rows() == _weeks_from_days()
    compared = 0
    for scope in scopes:
        assert tallied.applies(scope)
        for period in PERIODS:
            for name, call in _selectors(scope, period).items():
                assert call() == _direct(monkeypatch, call), (name, scope.key, period.first_day)
                compared += 1
    return compared


def _rate_in_bulk() -> int:
    """Ratings for every other answered clock without one, in one statement."""
    ratings = ["yes", "partly", "no"]
    unrated = ResponseClock.objects.filter(answered_at__isnull=False, feedback__isnull=True)
    feedback = [
        AnswerFeedback(
            clock=clock,
            query_id=clock.query_id,
            rating=ratings[i % 3],
            comment="Thank you",
            given_at=AFTER_FEBRUARY,
        )
        for i, clock in enumerate(unrated.order_by("pk")[::2])
    ]
    return len(AnswerFeedback.objects.bulk_create(feedback))


def test_answer_counts_equal_the_rows_counted_after_every_change(
    hand_worked, monkeypatch, settings
):
    normanton, allenton, queries = hand_worked
    scopes = [FORCE, area_scope(normanton), area_scope(allenton)]
    compared = _same_figures(monkeypatch, scopes)
    assert compared == 60
    before = satisfaction.satisfaction_figures(scope=FORCE, period=FEBRUARY)
    assert (before.answers, before.rated) == (5, 4)

    # A hundred clocks inserted in one statement, half of them answered, then rated in one.
    _seed(100, [normanton, allenton], None)
    assert _rate_in_bulk() > 20
    _same_figures(monkeypatch, scopes)
    seeded = satisfaction.satisfaction_figures(scope=FORCE, period=FEBRUARY)
    assert seeded.answers > before.answers + 40 and seeded.rated > before.rated + 20

    # A rating changed: q1 from yes to no.
    changed = AnswerFeedback.objects.filter(query=queries["q1"]).update(rating="no")
    assert changed == 1
    _same_figures(monkeypatch, scopes)

    # An answer sent later (from 10 to 17 February) elsewhere, one taken back, and one sent
    # and rated at midnight, London time.
    q3 = ResponseClock.objects.filter(query=queries["q3"])
    assert q3.update(answered_at=at(2, 17, 9), neighbourhood=allenton) == 1
    assert ResponseClock.objects.filter(query=queries["q2"]).update(answered_at=None) == 1
    rated(answered(allenton, at(2, 14, 23), datetime.datetime(2026, 2, 15, tzinfo=LONDON)), "no")
    _same_figures(monkeypatch, scopes)

    # Anonymised: the comments go, the ratings and their counts stay.
    settings.QUERY_RETENTION_DAYS = 30
    comments = AnswerFeedback.objects.exclude(comment="").count()
    assert queries_anonymise_expired(now=at(5, 1)) >= 5
    assert AnswerFeedback.objects.exclude(comment="").count() < comments
    _same_figures(monkeypatch, scopes)

    # Ratings deleted, then queries deleted (as retention does) with their clocks.
    removed, _ = AnswerFeedback.objects.filter(rating="partly").delete()
    assert removed > 5
    _same_figures(monkeypatch, scopes)
    Query.objects.filter(submitted_at__lt=at(2, 12)).delete()
    _same_figures(monkeypatch, scopes)
    after = satisfaction.satisfaction_figures(scope=FORCE, period=FEBRUARY)
    assert 0 < after.answers < seeded.answers and 0 < after.rated < seeded.rated

    # Everything deleted: nothing left counted.
    Query.objects.all().delete()
    assert _day_rows() == {} and _week_rows() == {}


def test_the_migration_counts_the_answers_already_sent_and_can_be_undone(hand_worked, monkeypatch):
    # Without the triggers nothing is counted; with them back, the answers and ratings
    # already recorded are counted once, and every later change again.
    counts = importlib.import_module("queries.migrations.0014_answer_counts")
    normanton, allenton, queries = hand_worked
    kept = _day_rows()
    assert sum(row["answers"] for row in kept.values()) == 6  # q1..q4, q6, q7
    with connection.cursor() as cursor:
        cursor.execute(counts.DROP)
        AnswerDay.objects.all().delete()
        AnswerWeek.objects.all().delete()
        rated(queries["q4"], "no")
        assert _day_rows() == {}
        cursor.execute(counts.FUNCTIONS)
        cursor.execute(counts.BACKFILL)
    assert _day_rows() == _days_counted() != kept
    assert sum(row["rated"] for row in _day_rows().values()) == 6
    rated(answered(normanton, at(2, 16), at(2, 16, 11)), "yes")
    _same_figures(monkeypatch, [FORCE, area_scope(normanton), area_scope(allenton)])


def test_the_page_reads_the_counts_not_the_clocks(hand_worked, opcc_account, client):
    # The satisfaction section's statements sum the answer counts: none counts clock rows.
    client.force_login(opcc_account)
    with CaptureQueriesContext(connection) as statements:
        page = client.get(
            "/staff/dashboard/", {"period": "custom", "from": "2026-02-02", "to": "2026-03-01"}
        )
    assert "Were residents satisfied?" in page.content.decode()
    # February's four whole weeks are read from the week rows alone.
    answer_counts = [s["sql"] for s in statements if "queries_answerweek" in s["sql"]]
    assert len(answer_counts) == 2
    assert all("queries_responseclock" not in sql for sql in answer_counts)
    assert not [s for s in statements if "queries_answerfeedback" in s["sql"]]
