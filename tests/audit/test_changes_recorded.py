"""Every change to a query (reply, note, reassign, close), to an officer's assignment and to an
account's roles is in the audit: who, when, from which address, which fields. The record is
written in the transaction of the change: a change that fails leaves no record, and a record
that cannot be written leaves no change."""

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection

from audit.models import AuditRecord
from officers.models import Assignment
from queries.models import Query
from queries.services.staff import query_close, query_note
from tests.audit.admin_form import admin_form_data
from tests.factories import AssignmentFactory, OfficerFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.9"


def _changes():
    return AuditRecord.objects.filter(action=AuditRecord.Action.CHANGED).order_by("pk")


def test_each_staff_action_on_a_query_is_recorded_with_who_where_and_which_fields(
    client, people, resident_data
):
    query = resident_data["query"]
    grace = people["team member"].officer
    base = query.get_absolute_url()
    client.force_login(people["sergeant"])

    posts = [
        ("reply/", {"reply-message": "We will patrol there this week."}, "reply sent"),
        ("note/", {"note-body": "Checked the patrol log."}, "note added"),
        (
            "reassign/",
            {"reassign-officer": grace.pk, "reassign-reason": "Leave"},
            "reassigned (assigned_officer, routing_reason): From Priya to Grace.",
        ),
        ("close/", {"close-outcome": "Patrols arranged."}, "closed: status, closed_at"),
    ]
    for path, data, _detail in posts:
        response = client.post(base + path, data, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 302, (path, response.content.decode()[:500])

    records = list(_changes())
    assert [r.detail[: len(d)] for r, (_p, _data, d) in zip(records, posts, strict=True)] == [
        d for _p, _data, d in posts
    ]
    for record in records:
        assert record.actor == people["sergeant"]
        assert record.actor_name == "riley"
        assert record.actor_roles == "Officer, Supervisor"
        assert record.address == ADDRESS
        assert (record.subject_type, record.subject_id) == ("query", str(query.pk))
        assert record.reference == query.reference
        assert "patrol" not in record.detail.lower()
    assert records[0].detail.startswith("reply sent; changed ")


def test_a_refused_action_changes_nothing_and_records_nothing(client, people, resident_data):
    query = resident_data["query"]
    client.force_login(people["officer of another neighbourhood"])

    response = client.post(f"{query.get_absolute_url()}close/", {"close-outcome": "Mine now"})

    assert response.status_code == 403
    assert Query.objects.get().status == Query.Status.OPEN
    assert not AuditRecord.objects.filter(reference=query.reference).exists()


@pytest.fixture
def failing_timeline():
    """The database refuses any new timeline entry of a query, as a full disk or a lost
    connection would, after the change and its audit record are written."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'no more timeline entries'; END; $$;
            CREATE TRIGGER test_refuse_event BEFORE INSERT ON queries_queryevent
                FOR EACH ROW EXECUTE FUNCTION test_refuse_event();
            """
        )


def test_a_change_that_fails_leaves_no_audit_record(people, resident_data, failing_timeline):
    query = resident_data["query"]

    with pytest.raises(DatabaseError, match="no more timeline entries"):
        query_close(query=query, by=people["named officer"], outcome="Done", address=ADDRESS)

    assert Query.objects.get().status == Query.Status.OPEN
    assert not _changes().exists()


@pytest.fixture
def failing_audit():
    """The database refuses any new audit record."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'no more audit records'; END; $$;
            CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_auditrecord
                FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();
            """
        )


def test_a_change_whose_audit_record_fails_is_not_made(people, resident_data, failing_audit):
    query = resident_data["query"]

    with pytest.raises(DatabaseError, match="no more audit records"):
        query_close(query=query, by=people["named officer"], outcome="Done", address=ADDRESS)
    with pytest.raises(DatabaseError, match="no more audit records"):
        query_note(query=query, by=people["named officer"], body="A note", address=ADDRESS)

    assert Query.objects.get().status == Query.Status.OPEN
    assert not query.events.filter(kind="note").exists()


# --- Assignments and roles ----------------------------------------------------------------


def test_an_assignment_added_in_the_officers_admin_page_is_recorded(client, people, area):
    officer = OfficerFactory(display_name="New Starter")
    client.force_login(people["administrator"])
    url = f"/admin/officers/officer/{officer.pk}/change/"
    data = admin_form_data(client.get(url).content.decode(), "officer_form")
    data.update(
        {
            "assignments-0-neighbourhood": [str(area.pk)],
            "assignments-0-role": [Assignment.Role.TEAM_MEMBER],
            "assignments-0-start_date": ["2026-01-05"],
            "assignments-0-officer": [str(officer.pk)],
            "assignments-TOTAL_FORMS": ["1"],
        }
    )

    response = client.post(url, data, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = Assignment.objects.get(officer=officer)
    record = AuditRecord.objects.get(
        action=AuditRecord.Action.ASSIGNMENT_CHANGED, subject_id=str(assignment.pk)
    )
    assert record.actor_name == "administrator"
    assert record.address == ADDRESS
    assert record.subject_id == str(assignment.pk)
    assert record.detail == (
        f"added: officer {officer.pk} as Team member of neighbourhood {area.pk}, from 2026-01-05"
    )


def test_an_assignment_ended_or_removed_anywhere_is_recorded(area):
    assignment = AssignmentFactory(neighbourhood=area, role=Assignment.Role.TEAM_MEMBER)
    pk = assignment.pk
    assignment.end_date = assignment.start_date
    assignment.save()
    assignment.delete()

    details = list(
        AuditRecord.objects.filter(action=AuditRecord.Action.ASSIGNMENT_CHANGED, subject_id=str(pk))
        .order_by("pk")
        .values_list("detail", "actor_name")
    )
    assert [detail.split(":")[0] for detail, _who in details] == ["added", "changed", "removed"]
    assert {who for _detail, who in details} == {"the portal"}


def test_a_role_given_in_the_admin_user_page_is_recorded(client, people):
    account = people["no role"]
    supervisor = Group.objects.get(name="Supervisor")
    client.force_login(people["administrator"])
    url = f"/admin/auth/user/{account.pk}/change/"
    data = admin_form_data(client.get(url).content.decode(), "user_form")
    data["groups"] = [str(supervisor.pk)]

    response = client.post(url, data, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 302, response.content.decode()[:2000]
    record = AuditRecord.objects.get(action=AuditRecord.Action.ROLE_CHANGED, subject_id=account.pk)
    assert record.actor_name == "administrator"
    assert record.address == ADDRESS
    assert record.reference == "norole"
    assert record.detail == "added to Supervisor"


def test_roles_taken_away_and_superuser_status_are_recorded_whichever_way(people):
    account = people["sergeant"]
    Group.objects.get(name="Supervisor").user_set.remove(account)
    account.groups.clear()
    account.is_superuser = True
    account.save()

    details = list(
        AuditRecord.objects.filter(action=AuditRecord.Action.ROLE_CHANGED, subject_id=account.pk)
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details[-3:] == ["removed from Supervisor", "removed from Officer", "made a superuser"]
