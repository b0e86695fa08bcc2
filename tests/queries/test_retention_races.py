"""The retention run works beside officers' own changes: a query locked by one is left for the
next run, not waited for."""

import datetime

import pytest

from queries.models import Query
from queries.services.sla import queries_anonymise_expired
from tests.locks import row_held_elsewhere
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
    with row_held_elsewhere(Query, busy.pk):
        assert queries_anonymise_expired() == 1

    idle.refresh_from_db()
    busy.refresh_from_db()
    assert (idle.name, busy.name) == ("", "Jane Resident")
    assert queries_anonymise_expired() == 1
    busy.refresh_from_db()
    assert busy.name == ""
