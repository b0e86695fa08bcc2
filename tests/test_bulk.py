"""rows_insert: many rows in one statement, as bulk_create would write them."""

import datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.bulk import rows_insert
from notifications.models import OutboxEmail
from queries.models import QueryEmail
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

FORGET_AFTER = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


def _saved(ids: list[int]) -> list[dict]:
    rows = OutboxEmail.objects.in_bulk(ids)
    return [model_to_dict(rows[pk], exclude=["id"]) for pk in ids]


def test_rows_insert_writes_the_rows_bulk_create_writes_in_one_statement():
    drafts = [
        {"to": ["a@example.com"], "subject": "One", "body_text": "1", "headers": {}},
        {
            "to": ["b@example.com", "c@x.uk"],
            "subject": "Two's",
            "body_text": "2\n",
            "headers": {"Message-ID": "<2@example.com>"},
        },
        {"to": [], "subject": "", "body_text": "", "headers": {"X-Null": "é"}},
    ]
    created = OutboxEmail.objects.bulk_create(
        OutboxEmail(**draft, redact_after_send=True, forget_after=FORGET_AFTER) for draft in drafts
    )
    before = timezone.now()
    with CaptureQueriesContext(connection) as statements:
        ids = rows_insert(
            OutboxEmail,
            columns={name: [draft[name] for draft in drafts] for name in drafts[0]},
            redact_after_send=True,
            forget_after=FORGET_AFTER,
        )

    assert len(statements) == 1
    inserted = _saved(ids)
    assert [row["subject"] for row in inserted] == ["One", "Two's", ""]
    # Defaults (status, attempts, an empty HTML body) as bulk_create fills them; created_at now.
    assert [{**row, "created_at": None} for row in inserted] == [
        {**row, "created_at": None} for row in _saved([email.pk for email in created])
    ]
    assert inserted[0]["status"] == OutboxEmail.Status.PENDING
    assert all(
        before <= email.created_at <= timezone.now()
        for email in OutboxEmail.objects.filter(pk__in=ids)
    )


def test_rows_insert_takes_foreign_key_ids_and_a_given_primary_key():
    query = QueryFactory()
    ids = rows_insert(
        OutboxEmail, columns={"to": [["a@example.com"]], "subject": ["S"], "body_text": ["T"]}
    )
    links = rows_insert(QueryEmail, columns={"email_id": ids, "query_id": [query.pk]})

    assert links == ids
    assert QueryEmail.objects.get(email_id=ids[0]).query == query


def test_rows_insert_of_no_rows_writes_nothing():
    with CaptureQueriesContext(connection) as statements:
        assert rows_insert(OutboxEmail, columns={"to": [], "subject": []}) == []
    assert not statements
