"""A lead names the people who edit the plan for them; nobody else names them."""

import pytest

from asb.models import Action, Delegation
from config.roles import Role
from tests.html import language

pytestmark = pytest.mark.django_db


def test_the_division_lead_names_a_delegate_who_then_edits_that_division_s_actions(
    client, make_account, division_lead, actions
):
    make_account(Role.OFFICER, username="pcso")
    client.force_login(division_lead.officer.user)
    response = client.post("/staff/asb/delegates/", {"lead": division_lead.pk, "username": "pcso"})
    assert response.status_code == 302
    page = client.get("/staff/asb/delegates/").content.decode()
    assert "pcso" in page
    assert "Derby City" in page

    delegation = Delegation.objects.get()
    client.force_login(delegation.user)
    assert actions["derby"].title in client.get("/staff/asb/").content.decode()
    assert client.get(f"/staff/asb/actions/{actions['north'].pk}/edit/").status_code == 403
    # A delegate does not delegate further.
    assert client.get("/staff/asb/delegates/").status_code == 403

    client.force_login(division_lead.officer.user)
    client.post(f"/staff/asb/delegates/{delegation.pk}/remove/")
    assert not Delegation.objects.exists()
    client.force_login(delegation.user)
    assert client.get("/staff/asb/").status_code == 403
    assert Action.objects.count() == 2


def test_an_unknown_username_gets_a_message(client, force_lead):
    client.force_login(force_lead.officer.user)
    response = client.post("/staff/asb/delegates/", {"lead": force_lead.pk, "username": "nobody"})
    assert response.status_code == 200
    assert "Enter the username of a member of staff" in response.content.decode()
    assert not Delegation.objects.exists()


def test_a_lead_cannot_name_delegates_for_another_lead(
    client, make_account, force_lead, division_lead
):
    make_account(Role.OFFICER, username="pcso")
    client.force_login(division_lead.officer.user)
    response = client.post("/staff/asb/delegates/", {"lead": force_lead.pk, "username": "pcso"})
    assert response.status_code == 200
    assert "Select the lead role" in response.content.decode()
    theirs = Delegation.objects.create(lead=force_lead, user=make_account(username="other"))
    assert client.post(f"/staff/asb/delegates/{theirs.pk}/remove/").status_code == 403
    assert Delegation.objects.count() == 1


@pytest.mark.parametrize("roles", [[Role.OPCC], [Role.OFFICER, Role.SUPERVISOR], []], ids=str)
def test_anyone_who_is_not_a_lead_is_refused(client, make_account, force_lead, roles):
    client.force_login(make_account(*roles, username="someone"))
    assert client.get("/staff/asb/delegates/").status_code == 403
    response = client.post("/staff/asb/delegates/", {"lead": force_lead.pk, "username": "someone"})
    assert response.status_code == 403
    assert not Delegation.objects.exists()


# --- In Welsh ---------------------------------------------------------------------------------


@pytest.fixture
def in_welsh(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def test_a_lead_who_chose_welsh_gets_the_form_s_errors_in_welsh(in_welsh, force_lead):
    in_welsh.force_login(force_lead.officer.user)

    response = in_welsh.post("/staff/asb/delegates/", {"lead": force_lead.pk, "username": "nobody"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rhowch enw defnyddiwr aelod o staff" in page
    assert "Enter the username of a member of staff" not in page
    assert not Delegation.objects.exists()


def test_a_lead_who_chose_welsh_is_told_in_welsh_who_now_edits_the_plan(
    in_welsh, make_account, force_lead
):
    make_account(Role.OFFICER, username="pcso")
    in_welsh.force_login(force_lead.officer.user)

    response = in_welsh.post(
        "/staff/asb/delegates/", {"lead": force_lead.pk, "username": "pcso"}, follow=True
    )

    page = response.content.decode()
    assert "Gall pcso olygu’r cynllun nawr." in page
    assert "Pobl sy’n golygu’r cynllun ar eich rhan" in page
    assert Delegation.objects.get().user.username == "pcso"


def test_a_division_lead_who_chose_welsh_is_refused_a_section_in_welsh(in_welsh, division_lead):
    in_welsh.force_login(division_lead.officer.user)

    response = in_welsh.post("/staff/asb/sections/new/", {"title": "Parciau"})

    assert response.status_code == 403
    assert language(response.content.decode()) == "cy"
