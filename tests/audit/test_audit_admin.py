"""Administrators search the audit by person, query reference and dates, download it as CSV,
and answer a resident's "who has seen my query". Nobody else sees it."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone

from audit.models import AuditRecord
from audit.services import audit_record
from config.roles import Role
from tests.html import element, elements, hrefs, rows
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

BASE = "/admin/audit/auditrecord/"


@pytest.fixture
def seen(client, people, resident_data):
    """The named officer and OPCC open the query (OPCC a week ago), the sergeant notes it."""
    query = resident_data["query"]
    client.force_login(people["named officer"])
    client.get(query.get_absolute_url(), REMOTE_ADDR="192.0.2.10")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=7)):
        client.force_login(people["OPCC"])
        client.get(query.get_absolute_url(), REMOTE_ADDR="192.0.2.20")
    client.force_login(people["sergeant"])
    client.post(f"{query.get_absolute_url()}note/", {"note-body": "Called round."})
    client.logout()
    return query


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_administrators_search_by_person(client, people, seen):
    client.force_login(people["administrator"])

    page = client.get(BASE, {"q": "opcc"}).content.decode()

    assert "192.0.2.20" in page
    assert "192.0.2.10" not in page
    # The download link carries the search.
    assert f"{BASE}csv/?q=opcc" in hrefs(page)


def test_administrators_search_by_query_reference(client, people, seen, area):
    other = QueryFactory(neighbourhood=area, assigned_officer=people["named officer"].officer)
    client.force_login(people["named officer"])
    client.get(other.get_absolute_url(), REMOTE_ADDR="192.0.2.99")
    client.force_login(people["administrator"])

    page = client.get(BASE, {"q": seen.reference}).content.decode()

    assert "192.0.2.10" in page
    assert "192.0.2.20" in page
    assert "192.0.2.99" not in page


def test_administrators_filter_by_date_range(client, people, seen):
    client.force_login(people["administrator"])
    today = timezone.localdate()
    week_ago = (today - datetime.timedelta(days=7)).isoformat()

    older = client.get(BASE, {"at__date__gte": week_ago, "at__date__lte": week_ago})
    recent = client.get(BASE, {"at__date__gte": today.isoformat()})

    assert "192.0.2.20" in older.content.decode()
    assert "192.0.2.10" not in older.content.decode()
    assert "192.0.2.10" in recent.content.decode()
    assert "192.0.2.20" not in recent.content.decode()
    # The filter panel keeps the dates chosen.
    assert elements(older, "input", value=week_ago)


def test_a_date_that_is_not_one_is_refused_without_an_error_page(client, people, seen):
    client.force_login(people["administrator"])

    listing = client.get(BASE, {"at__date__gte": "yesterday"})
    download = client.get(f"{BASE}csv/", {"at__date__gte": "2026-13-45"})

    assert listing.status_code in (200, 302)
    assert download.status_code == 302
    assert download["Location"] == BASE


def test_the_csv_download_holds_what_the_list_shows_and_is_itself_recorded(client, people, seen):
    client.force_login(people["administrator"])

    response = client.get(f"{BASE}csv/", {"q": seen.reference, "action__exact": "viewed"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = _csv(response)
    assert rows[0][:4] == ["When (UTC)", "Person", "Roles", "Action"]
    people_and_addresses = sorted((row[1], row[7]) for row in rows[1:])
    assert people_and_addresses == [("opcc", "192.0.2.20"), ("priya", "192.0.2.10")]
    exported = AuditRecord.objects.get(action=AuditRecord.Action.EXPORTED)
    assert exported.actor_name == "administrator"
    assert seen.reference in exported.detail


def test_selected_records_download_as_csv_with_formulas_neutralised(client, people, make_account):
    sly = make_account(Role.OFFICER, username="=HYPERLINK(1)")
    record = audit_record(
        actor=sly,
        action=AuditRecord.Action.VIEWED,
        subject_type="query",
        address="192.0.2.5",
    )
    client.force_login(people["administrator"])

    response = client.post(BASE, {"action": "download_selected", "_selected_action": [record.pk]})

    rows = _csv(response)
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_who_has_seen_a_query_lists_each_view_with_person_roles_and_when(client, people, seen):
    client.force_login(people["administrator"])

    page = client.get(f"{BASE}seen/", {"reference": seen.reference.lower()}).content.decode()

    assert f"Views of {seen.reference.lower()}" in page
    # Each view: when, who, their roles, where; the oldest first.
    assert [cells[1:3] for cells in rows(element(page, "tbody"))] == [
        ["opcc", "OPCC"],
        ["priya", "Officer"],
    ]
    # The sergeant's note is a change, not a view.
    assert "riley" not in page
    assert page.index("opcc") < page.index("priya"), "oldest first"


def test_who_has_seen_an_unknown_reference_says_nobody(client, people, seen):
    client.force_login(people["administrator"])

    page = client.get(f"{BASE}seen/", {"reference": "DY-NOPE"}).content.decode()

    assert "Nobody has seen DY-NOPE" in page


@pytest.mark.parametrize("who", ["named officer", "sergeant", "OPCC", "team member"])
def test_the_audit_is_refused_to_everyone_but_administrators(client, people, seen, who):
    account = people[who]
    # Even an account that may sign in to the admin, and holds every model permission.
    account.is_staff = True
    account.save(update_fields=["is_staff"])
    account.user_permissions.set(Permission.objects.filter(codename__endswith="auditrecord"))
    client.force_login(account)

    for url in [BASE, f"{BASE}csv/", f"{BASE}seen/?reference={seen.reference}"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    assert not AuditRecord.objects.filter(action=AuditRecord.Action.EXPORTED).exists()


def test_the_admin_index_lists_the_audit_for_administrators(client, people):
    client.force_login(people["administrator"])

    page = client.get("/admin/").content.decode()

    assert "/admin/audit/auditrecord/" in hrefs(page)
