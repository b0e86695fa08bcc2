"""The ASB action plan: the leads and their delegates keep it in the staff area, a division's
lead only their division's actions; residents read it and what changed lately at /asb/."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from pytest_django.asserts import assertContains

from asb.models import Action, Delegation, Section
from config.roles import Role
from crimeplan.models import Plan, PlanPriority
from tests.form_data import with_date_boxes
from tests.html import elements

pytestmark = pytest.mark.django_db


def action_post(action: Action | None = None, **fields) -> dict:
    data = {
        "section": action.section_id if action else "",
        "division": (action.division_id or "") if action else "",
        "title": action.title if action else "",
        "owner_kind": action.owner_kind if action else "partner",
        "owner_division": (action.owner_division_id or "") if action else "",
        "owner_neighbourhood": (action.owner_neighbourhood_id or "") if action else "",
        "owner_partner": action.owner_partner if action else "",
        "due_on": (action.due_on.isoformat() if action else "2027-03-31"),
        "status": action.status if action else "not_started",
        "progress": action.progress if action else "",
    }
    data.update(fields)
    return with_date_boxes(data, "due_on")


def test_the_force_lead_adds_an_action_and_residents_see_it(
    client, force_lead, sections, divisions
):
    plan = Plan.objects.create(
        title="Plan", starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2030, 1, 1)
    )
    serves = PlanPriority.objects.create(plan=plan, title="Neighbourhood crime and policing")
    client.force_login(force_lead.officer.user)
    response = client.post(
        "/staff/asb/actions/new/",
        action_post(
            section=sections["town"].pk,
            title="Public Spaces Protection Order for the Cathedral Quarter",
            owner_partner="Derby City Council",
            plan_priorities=[serves.pk],
        ),
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.division is None
    assert list(action.plan_priorities.all()) == [serves]

    client.logout()
    page = client.get("/asb/").content.decode()
    assert "Rachel Adeyemi" in page
    assert "Force lead for anti-social behaviour" in page
    assert "Write to the Prevention and Partnerships team." in page
    assert "Public Spaces Protection Order for the Cathedral Quarter" in page
    assert "Derby City Council" in page
    assert "31 March 2027" in page
    assert "Added to the plan" in page
    crime_plan = client.get("/police-and-crime-plan/").content.decode()
    assert "Public Spaces Protection Order for the Cathedral Quarter" in crime_plan


def test_a_status_change_shows_under_what_changed_lately_without_who_made_it(
    client, force_lead, actions
):
    action = actions["derby"]
    client.force_login(force_lead.officer.user)
    response = client.post(
        f"/staff/asb/actions/{action.pk}/edit/",
        action_post(action, status="delayed", progress="Waiting for the council"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DELAYED
    assert action.history.count() == 2

    client.logout()
    page = client.get("/asb/").content.decode()
    assert "Status now delayed; progress changed" in page
    assert "Waiting for the council" in page
    assert "asblead" not in page


def test_what_changed_lately_keeps_to_the_last_30_days(client, sections, divisions):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
        Action.objects.create(
            section=sections["town"],
            title="An old action",
            owner_kind=Action.OwnerKind.PARTNER,
            owner_partner="Council",
            due_on=timezone.localdate(),
        )
    page = client.get("/asb/").content.decode()
    assert "An old action" in page  # in the plan
    assert "Nothing in the plan changed in the last 30 days." in page


def test_a_division_lead_edits_their_division_s_action(client, division_lead, actions):
    action = actions["derby"]
    client.force_login(division_lead.officer.user)
    listing = client.get("/staff/asb/").content.decode()
    assert action.title in listing
    assert actions["north"].title not in listing
    response = client.post(
        f"/staff/asb/actions/{action.pk}/edit/", action_post(action, status="in_progress")
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS


def test_a_division_lead_editing_another_division_s_action_is_refused(
    client, division_lead, actions
):
    other = actions["north"]
    client.force_login(division_lead.officer.user)
    assert client.get(f"/staff/asb/actions/{other.pk}/edit/").status_code == 403
    response = client.post(
        f"/staff/asb/actions/{other.pk}/edit/", action_post(other, status="done")
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == Action.Status.NOT_STARTED


def test_a_division_lead_cannot_move_an_action_into_another_division_s_plan(
    client, division_lead, actions, divisions
):
    action = actions["derby"]
    client.force_login(division_lead.officer.user)
    response = client.post(
        f"/staff/asb/actions/{action.pk}/edit/",
        action_post(action, division=divisions["north"].pk),
    )
    assert response.status_code == 200
    assert "Select your division\u2019s plan" in response.content.decode()
    action.refresh_from_db()
    assert action.division == divisions["derby"]


def test_a_division_lead_does_not_add_sections(client, division_lead, sections):
    client.force_login(division_lead.officer.user)
    assert client.post("/staff/asb/sections/new/", {"title": "Parks"}).status_code == 403
    assert Section.objects.count() == 2


def test_the_force_lead_adds_a_section(client, force_lead, sections):
    client.force_login(force_lead.officer.user)
    response = client.post("/staff/asb/sections/new/", {"title": "Parks and open spaces"})
    assert response.status_code == 302
    assert Section.objects.order_by("position").last().title == "Parks and open spaces"
    assert "Parks and open spaces" in client.get("/asb/").content.decode()


def test_a_delegate_of_the_force_lead_edits_the_whole_plan(
    client, make_account, force_lead, actions
):
    delegate = make_account(Role.OFFICER, username="delegate")
    Delegation.objects.create(lead=force_lead, user=delegate)
    client.force_login(delegate)
    action = actions["north"]
    response = client.post(
        f"/staff/asb/actions/{action.pk}/edit/", action_post(action, status="done")
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


@pytest.mark.parametrize(
    "roles", [[Role.OPCC], [Role.OFFICER], [Role.OFFICER, Role.SUPERVISOR], []], ids=str
)
def test_anyone_who_is_not_a_lead_or_delegate_is_refused(client, make_account, actions, roles):
    client.force_login(make_account(*roles, username="someone"))
    action = actions["derby"]
    for method, url, data in [
        ("get", "/staff/asb/", {}),
        ("get", "/staff/asb/actions/new/", {}),
        ("post", "/staff/asb/actions/new/", action_post(title="Mine", section=action.section_id)),
        ("get", f"/staff/asb/actions/{action.pk}/edit/", {}),
        ("post", f"/staff/asb/actions/{action.pk}/edit/", action_post(action, status="done")),
        ("post", "/staff/asb/sections/new/", {"title": "Mine"}),
    ]:
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    assert Action.objects.count() == 2
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


def test_a_visitor_is_sent_to_sign_in(client, actions):
    for url in ["/staff/asb/", f"/staff/asb/actions/{actions['derby'].pk}/edit/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/sign-in/")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter what the action is"),
        (
            {"due_on_day": "nonsense", "due_on_month": "13", "due_on_year": "x"},
            "due_on",
            "Due date must be a real date",
        ),
        ({"due_on_day": "30", "due_on_month": "2", "due_on_year": "2027"}, "due_on", "real date"),
        ({"due_on_day": "", "due_on_month": "", "due_on_year": ""}, "due_on", "Enter the due date"),
        ({"owner_partner": ""}, "owner_partner", "Enter the name of the partner organisation"),
        (
            {"owner_kind": "division", "owner_division": ""},
            "owner_division",
            "Select the division that owns the action",
        ),
        ({"status": "finished"}, "status", "Select the status"),
        ({"owner_kind": "someone"}, "owner_kind", "Select who owns the action"),
    ],
)
def test_bad_input_gets_a_message_on_the_form(client, force_lead, sections, fields, field, message):
    client.force_login(force_lead.officer.user)
    typed = {"section": sections["town"].pk, "title": "Patrols", "owner_partner": "Council"}
    data = action_post(**{**typed, **fields})
    response = client.post("/staff/asb/actions/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert any(
        shown.attrs["id"].startswith(f"id_{field}") for shown in elements(page, "*", id=True)
    )
    assert not Action.objects.exists()


def test_an_unknown_action_is_a_404(client, force_lead):
    client.force_login(force_lead.officer.user)
    assert client.get("/staff/asb/actions/999999/edit/").status_code == 404


def test_the_asb_page_reads_a_fixed_number_of_queries(
    client, force_lead, division_lead, actions, sections, django_assert_max_num_queries
):
    for number in range(30):
        action = Action.objects.create(
            section=sections["residential"],
            title=f"Action {number}",
            owner_kind=Action.OwnerKind.PARTNER,
            owner_partner="Housing association",
            due_on=timezone.localdate(),
        )
        action.status = Action.Status.IN_PROGRESS
        action.save()
    with django_assert_max_num_queries(10):
        response = client.get("/asb/")
    page = response.content.decode()
    assert page.count("Housing association") == 30
    assert "Mark Riley" in page


def test_the_staff_plan_reads_a_fixed_number_of_queries(
    client, force_lead, actions, sections, django_assert_max_num_queries
):
    for number in range(30):
        Action.objects.create(
            section=sections["town"],
            division=actions["derby"].division,
            title=f"Action {number}",
            owner_kind=Action.OwnerKind.NEIGHBOURHOOD,
            owner_neighbourhood=actions["derby"].owner_neighbourhood,
            due_on=timezone.localdate(),
        )
    client.force_login(force_lead.officer.user)
    with django_assert_max_num_queries(12):
        page = client.get("/staff/asb/").content.decode()
    assert page.count("Derby City Centre neighbourhood team") == 31


def test_the_asb_page_leads_residents_to_the_monthly_patrol_figures(client):
    response = client.get("/asb/")
    assertContains(
        response,
        '<p class="govuk-body" id="asb-patrols">Officers patrol the places where residents '
        "report the most anti-social behaviour. Each month we publish "
        '<a class="govuk-link" href="/patrols/">how long they spent there and what came of '
        "it</a>.</p>",
        html=True,
    )
