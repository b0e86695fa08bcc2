"""The retention run works beside officers' own changes: a query locked by one is left for the
next run, not waited for."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from queries.models import Query
from queries.services.sla import queries_anonymise_expired
from tests.queries.factories import QueryFactory, neighbourhood_with_team

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime.datetime(2027, 12, 1, 10, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def expired_closed_query(neighbourhood, days: int) -> Query:
    closed_at = NOW - (days + 1) * DAY
    return QueryFactory(
        neighbourhood=neighbourhood,
        submitted_at=closed_at - 5 * DAY,
        name="Jane Resident",
        status=Query.Status.CLOSED,
        closed_at=closed_at,
        next_escalation_at=None,
        next_escalation_step="",
    )


def test_a_query_an_officer_is_changing_is_left_for_the_next_run(settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    neighbourhood, _ = neighbourhood_with_team()
    busy = expired_closed_query(neighbourhood, settings.QUERY_RETENTION_DAYS)
    idle = expired_closed_query(neighbourhood, settings.QUERY_RETENTION_DAYS)
    locked, release = threading.Event(), threading.Event()

    def officer_changing_the_query() -> None:
        try:
            with transaction.atomic():
                Query.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    officer = threading.Thread(target=officer_changing_the_query)
    officer.start()
    try:
        assert locked.wait(timeout=30)
        # Waiting for the officer's lock would fail here rather than hang the test.
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        assert queries_anonymise_expired() == 1
    finally:
        release.set()
        officer.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    idle.refresh_from_db()
    busy.refresh_from_db()
    assert (idle.name, busy.name) == ("", "Jane Resident")
    assert queries_anonymise_expired() == 1
    busy.refresh_from_db()
    assert busy.name == ""
