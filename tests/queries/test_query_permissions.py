"""Who may read and act on a query in the staff area, through the pages and the services."""

import pytest
from django.core.exceptions import PermissionDenied

from config.roles import Role
from officers.models import Assignment
from queries.models import ContactPreference, Query, QueryEvent
from queries.services.staff import query_close, query_note, query_reassign, query_reply
from tests.factories import AssignmentFactory, OfficerFactory
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

RESIDENT_NAME = "Winifred Oakenshaw"
RESIDENT_EMAIL = "winifred.oakenshaw@example.com"
RESIDENT_PHONE = "07700 900123"
RESIDENT_MESSAGE = "Motorbikes ride across the recreation ground every evening."


@pytest.fixture
def team_member(area, make_account):
    account = make_account(Role.OFFICER, username="pcso")
    officer = OfficerFactory(user=account, display_name="Grace Whitfield")
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.TEAM_MEMBER)
    return account


@pytest.fixture
def sergeant(area, supervisor_account):
    officer = OfficerFactory(user=supervisor_account, display_name="Mark Riley")
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.SERGEANT)
    return supervisor_account


@pytest.fixture
def outsider(make_account):
    account = make_account(Role.OFFICER, Role.SUPERVISOR, username="elsewhere")
    officer = OfficerFactory(user=account, display_name="Olu Adeyemi")
    AssignmentFactory(officer=officer, role=Assignment.Role.SERGEANT)
    return account


@pytest.fixture
def query(area, priya):
    return QueryFactory(
        neighbourhood=area,
        assigned_officer=priya,
        name=RESIDENT_NAME,
        email=RESIDENT_EMAIL,
        phone=RESIDENT_PHONE,
        message=RESIDENT_MESSAGE,
    )


def action_posts(query: Query, new_officer_pk: int) -> dict[str, dict]:
    """Each action's URL with data that would succeed for someone allowed to act."""
    base = query.get_absolute_url()
    return {
        f"{base}reply/": {"reply-message": "We will patrol there this week."},
        f"{base}note/": {"note-body": "Checked the patrol log."},
        f"{base}reassign/": {"reassign-officer": new_officer_pk, "reassign-reason": "Leave"},
        f"{base}close/": {"close-outcome": "Patrols arranged."},
    }


def test_officer_outside_the_neighbourhood_gets_403_on_the_page(client, outsider, query):
    client.force_login(outsider)

    response = client.get(query.get_absolute_url())

    assert response.status_code == 403
    assert RESIDENT_NAME not in response.content.decode()


def test_officer_outside_the_neighbourhood_gets_403_on_every_action(
    client, outsider, team_member, query
):
    client.force_login(outsider)
    before = QueryEvent.objects.count()

    statuses = [
        client.post(url, data).status_code
        for url, data in action_posts(query, team_member.officer.pk).items()
    ]

    assert statuses == [403, 403, 403, 403]
    assert QueryEvent.objects.count() == before
    query.refresh_from_db()
    assert query.status == Query.Status.OPEN
    assert query.assigned_officer.display_name == "Priya Sharma"


def test_inbox_does_not_list_a_query_outside_the_officers_neighbourhoods(client, outsider, query):
    client.force_login(outsider)

    page = client.get("/staff/queries/").content.decode()

    assert query.reference not in page


def test_services_refuse_an_officer_outside_the_neighbourhood(outsider, query):
    with pytest.raises(PermissionDenied):
        query_reply(query=query, by=outsider, message="Hello")
    with pytest.raises(PermissionDenied):
        query_note(query=query, by=outsider, body="Note")


def test_opcc_sees_the_page_without_the_residents_name_email_or_phone(client, opcc_account, query):
    client.force_login(opcc_account)

    response = client.get(query.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert query.reference in page
    assert "Normanton" in page
    assert RESIDENT_NAME not in page
    assert RESIDENT_EMAIL not in page
    assert RESIDENT_PHONE not in page
    assert RESIDENT_MESSAGE not in page


def test_opcc_sees_the_staff_timeline_but_not_the_residents_words(
    client, opcc_account, priya, query
):
    QueryEvent.objects.create(
        query=query,
        kind=QueryEvent.Kind.SUBMITTED,
        body=RESIDENT_MESSAGE,
        created_at=query.submitted_at,
    )
    query_note(query=query, by=priya.user, body="Spoke to the park warden.")
    client.force_login(opcc_account)

    page = client.get(query.get_absolute_url()).content.decode()

    assert "Internal note" in page
    assert "Police Constable Priya Sharma" in page
    assert "Spoke to the park warden." not in page
    assert RESIDENT_MESSAGE not in page


# What an officer might write to or about a resident: their name, address and phone number.
DETAILS = "Dear Jane Doe, 12 Oak Road, 07700 900123"
DETAIL_PARTS = ("Jane Doe", "12 Oak Road", "07700 900123")


@pytest.fixture
def answered_with_details(priya, sergeant, team_member, query):
    query_reply(query=query, by=priya.user, message=DETAILS)
    query_note(query=query, by=priya.user, body=f"Note: {DETAILS}")
    query_reassign(
        query=query, by=sergeant, officer=team_member.officer, reason=f"Reason: {DETAILS}"
    )
    query_close(query=query, by=priya.user, outcome=f"Outcome: {DETAILS}")
    return query


def test_opcc_page_shows_none_of_the_residents_details_written_by_officers(
    client, opcc_account, answered_with_details
):
    client.force_login(opcc_account)

    response = client.get(answered_with_details.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    for part in DETAIL_PARTS:
        assert part not in page
    for kind in ("Reply sent to the resident", "Internal note", "Reassigned", "Closed"):
        assert kind in page
    assert "Hidden: may contain the resident" in page


def test_sergeant_sees_the_replies_note_reassignment_and_outcome(
    client, sergeant, answered_with_details
):
    client.force_login(sergeant)

    page = client.get(answered_with_details.get_absolute_url()).content.decode()

    assert DETAILS in page
    assert f"Note: {DETAILS}" in page
    assert f"Reason: {DETAILS}" in page
    assert f"Outcome: {DETAILS}" in page
    assert "Hidden: may contain" not in page


def test_opcc_sees_every_query_in_the_inbox(client, opcc_account, query):
    elsewhere = QueryFactory()
    client.force_login(opcc_account)

    page = client.get("/staff/queries/").content.decode()

    assert query.reference in page
    assert elsewhere.reference in page


def test_opcc_sees_no_action_forms(client, opcc_account, query):
    client.force_login(opcc_account)

    page = client.get(query.get_absolute_url()).content.decode()

    assert "reply/" not in page
    assert "note/" not in page
    assert "reassign/" not in page
    assert "close/" not in page


def test_opcc_cannot_post_any_action(client, opcc_account, team_member, query):
    client.force_login(opcc_account)

    statuses = [
        client.post(url, data).status_code
        for url, data in action_posts(query, team_member.officer.pk).items()
    ]

    assert statuses == [403, 403, 403, 403]
    assert not QueryEvent.objects.filter(query=query).exists()


def test_team_member_can_reply(client, team_member, query):
    client.force_login(team_member)

    response = client.post(
        f"{query.get_absolute_url()}reply/", {"reply-message": "We will patrol there."}
    )

    assert response.status_code == 302
    assert response["Location"] == query.get_absolute_url()
    assert QueryEvent.objects.filter(query=query, kind=QueryEvent.Kind.REPLY).count() == 1


def test_team_member_sees_the_residents_details(client, team_member, query):
    client.force_login(team_member)

    page = client.get(query.get_absolute_url()).content.decode()

    assert RESIDENT_NAME in page
    assert RESIDENT_EMAIL in page
    assert RESIDENT_PHONE in page
    assert RESIDENT_MESSAGE in page


def test_team_member_cannot_reassign(client, team_member, sergeant, query):
    client.force_login(team_member)

    response = client.post(
        f"{query.get_absolute_url()}reassign/",
        {"reassign-officer": team_member.officer.pk, "reassign-reason": "Mine now"},
    )

    assert response.status_code == 403
    query.refresh_from_db()
    assert query.assigned_officer.display_name == "Priya Sharma"


def test_team_member_sees_no_reassign_form(client, team_member, query):
    client.force_login(team_member)

    page = client.get(query.get_absolute_url()).content.decode()

    assert "reply/" in page
    assert "reassign/" not in page


def test_sergeant_can_reassign(client, sergeant, team_member, query):
    client.force_login(sergeant)

    response = client.post(
        f"{query.get_absolute_url()}reassign/",
        {"reassign-officer": team_member.officer.pk, "reassign-reason": "Priya is on leave."},
    )

    assert response.status_code == 302
    query.refresh_from_db()
    assert query.assigned_officer == team_member.officer


def test_inspector_can_reassign(client, make_account, area, team_member, query):
    account = make_account(Role.OFFICER, Role.SUPERVISOR, username="inspector")
    AssignmentFactory(officer__user=account, neighbourhood=area, role=Assignment.Role.INSPECTOR)
    client.force_login(account)

    response = client.post(
        f"{query.get_absolute_url()}reassign/",
        {"reassign-officer": team_member.officer.pk, "reassign-reason": "Workload"},
    )

    assert response.status_code == 302
    query.refresh_from_db()
    assert query.assigned_officer == team_member.officer


def test_assigned_officer_reads_a_query_of_a_neighbourhood_they_do_not_serve(client, make_account):
    account = make_account(Role.OFFICER, username="covering")
    officer = OfficerFactory(user=account)
    query = QueryFactory(assigned_officer=officer)
    client.force_login(account)

    assert client.get(query.get_absolute_url()).status_code == 200
    assert query.reference in client.get("/staff/queries/").content.decode()


def test_officer_whose_assignment_has_ended_gets_403(client, make_account, area, query):
    account = make_account(Role.OFFICER, username="moved-on")
    AssignmentFactory(
        officer__user=account,
        neighbourhood=area,
        role=Assignment.Role.TEAM_MEMBER,
        start_date="2020-01-01",
        end_date="2021-01-01",
    )
    client.force_login(account)

    assert client.get(query.get_absolute_url()).status_code == 403


def test_administrator_reads_and_acts_on_any_query(
    client, administrator_account, team_member, query
):
    client.force_login(administrator_account)

    page = client.get(query.get_absolute_url()).content.decode()
    response = client.post(f"{query.get_absolute_url()}note/", {"note-body": "Seen."})

    assert RESIDENT_NAME in page
    assert "reassign/" in page
    assert response.status_code == 302


def test_account_without_a_role_gets_403_on_the_inbox(client, make_account):
    client.force_login(make_account(username="no-role"))

    assert client.get("/staff/queries/").status_code == 403


@pytest.mark.parametrize("suffix", ["", "reply/", "note/", "reassign/", "close/"])
def test_anonymous_visitor_is_sent_to_sign_in(client, query, suffix):
    url = f"{query.get_absolute_url()}{suffix}"

    response = client.post(url, {}) if suffix else client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/?next=")


def test_anonymous_visitor_is_sent_to_sign_in_from_the_inbox(client):
    response = client.get("/staff/queries/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/?next=/staff/queries/"


def test_unknown_reference_is_404(client, sergeant):
    client.force_login(sergeant)

    assert client.get("/staff/queries/XX-0000-000/").status_code == 404
    assert client.post("/staff/queries/XX-0000-000/note/", {"note-body": "x"}).status_code == 404


def test_resident_who_prefers_phone_has_no_email_shown_to_opcc(client, opcc_account, area):
    query = QueryFactory(
        neighbourhood=area,
        email="",
        phone=RESIDENT_PHONE,
        contact_preference=ContactPreference.PHONE,
        name=RESIDENT_NAME,
    )
    client.force_login(opcc_account)

    page = client.get(query.get_absolute_url()).content.decode()

    assert RESIDENT_PHONE not in page
    assert RESIDENT_NAME not in page


@pytest.mark.parametrize("path", ["/staff/queries/%00/", "/staff/queries/bad%20ref/"])
def test_malformed_reference_is_404_for_a_signed_in_sergeant(client, sergeant, path):
    client.force_login(sergeant)

    assert client.get(path).status_code == 404


def test_reply_to_a_malformed_reference_is_404_for_a_signed_in_sergeant(client, sergeant, query):
    client.force_login(sergeant)

    response = client.post("/staff/queries/%00/reply/", {"reply-message": "Hello"})

    assert response.status_code == 404
    assert not QueryEvent.objects.filter(kind=QueryEvent.Kind.REPLY).exists()
