"""Queries in the admin: read only, a fixed number of SQL queries per list, and the outbox
found by the reference of the query an email is about."""

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from notifications.models import OutboxEmail
from tests.html import hrefs
from tests.queries.factories import QueryFactory, query_email


@pytest.mark.django_db
def test_query_lists_open_read_only_for_an_administrator(client, administrator_account):
    client.force_login(administrator_account)

    query = QueryFactory()
    for model, name in [
        ("query", "query"),
        ("queryevent", "query event"),
        ("escalationstep", "escalation step"),
    ]:
        listing = client.get(f"/admin/queries/{model}/")
        assertContains(listing, f"<h1>Select {name} to view</h1>", html=True)
        assert f"/admin/queries/{model}/add/" not in hrefs(listing)
        assert client.get(f"/admin/queries/{model}/add/").status_code == 403
    assertContains(client.get("/admin/queries/query/"), query.reference)


@pytest.mark.django_db
def test_admin_lists_run_a_fixed_number_of_sql_queries(
    client, administrator_account, django_assert_max_num_queries
):
    for n in range(30):
        query = QueryFactory()
        query_email(query, status=OutboxEmail.Status.FAILED, last_error=f"error {n}")
        query.events.create(kind="submitted", created_at=timezone.now())
    client.force_login(administrator_account)

    for path in ["notifications/outboxemail", "queries/query", "queries/queryevent"]:
        with django_assert_max_num_queries(12):
            response = client.get(f"/admin/{path}/")
        assert response.status_code == 200
        assert "30 " in response.content.decode()  # the changelist's count of rows


@pytest.mark.django_db
def test_outbox_is_searched_by_the_reference_of_the_query_an_email_is_about(
    client, administrator_account
):
    wanted, other = QueryFactory(), QueryFactory()
    query_email(wanted, subject="[removed]")
    query_email(other, subject="Another query")
    client.force_login(administrator_account)

    response = client.get("/admin/notifications/outboxemail/", {"q": wanted.reference})

    page = response.content.decode()
    assert response.status_code == 200
    assert "[removed]" in page
    assert "Another query" not in page
