"""Who may use /staff/ and /admin/, through the pages a person signs in on."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from config.dates import LONDON
from config.roles import Role
from officers.models import Assignment
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    DivisionFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
)
from tests.html import Element, element, elements, links, title
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in_from_staff_area(client):
    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/?next=/staff/"


def test_officer_signs_in_with_the_form_and_sees_their_neighbourhoods(client, officer_account):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma")
    assignment = AssignmentFactory(officer=officer, neighbourhood__name="Normanton")

    response = client.post(
        "/staff/sign-in/?next=/staff/",
        {"username": "officer", "password": PASSWORD, "next": "/staff/"},
        follow=True,
    )

    assert response.redirect_chain == [("/staff/", 302)]
    page = response.content.decode()
    assert "Your neighbourhoods" in page
    assert assignment.neighbourhood.name in page
    assert "Neighbourhoods without a named officer" not in page
    assert "The force at a glance" not in page
    assert "Open the administration site" not in page


def test_wrong_password_shows_the_error_summary(client, officer_account):
    response = client.post("/staff/sign-in/", {"username": "officer", "password": "wrong"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page
    assert title(page).startswith("Error: Staff sign in")


def test_empty_sign_in_names_each_missing_field(client):
    response = client.post("/staff/sign-in/", {"username": "", "password": ""})

    page = response.content.decode()
    assert ("Enter your username", "#id_username") in links(page)
    assert ("Enter your password", "#id_password") in links(page)
    assert (
        "id_username_error"
        in element(page, "input", name="username").attrs["aria-describedby"].split()
    )


def test_failed_sign_in_says_how_many_tries_are_left_before_the_lock(client, officer_account):
    first = client.post("/staff/sign-in/", {"username": "officer", "password": "wrong"})
    for _ in range(3):
        last = client.post("/staff/sign-in/", {"username": "officer", "password": "wrong"})

    assert (
        "You have 4 more tries before sign-in is locked for 15 minutes." in first.content.decode()
    )
    assert "You have 1 more try before sign-in is locked for 15 minutes." in last.content.decode()


def test_tries_left_follow_the_lockout_settings(client, officer_account, settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(hours=1)

    response = client.post("/staff/sign-in/", {"username": "officer", "password": "wrong"})

    assert "You have 2 more tries before sign-in is locked for 1 hour." in response.content.decode()


def test_lockout_page_says_when_to_try_again(client, officer_account):
    signed_at = datetime.datetime(2026, 7, 1, 14, 30, tzinfo=LONDON)
    with time_machine.travel(signed_at, tick=False):
        for _ in range(5):
            response = client.post("/staff/sign-in/", {"username": "officer", "password": "wrong"})

    assert response.status_code == 429
    assert "You can try again from 2:45pm." in response.content.decode()


def test_sign_in_locks_after_five_failures(client, officer_account):
    for _ in range(5):
        client.post("/staff/sign-in/", {"username": "officer", "password": "wrong"})

    response = client.post("/staff/sign-in/", {"username": "officer", "password": PASSWORD})

    assert response.status_code == 429
    assert "Sign in is locked for 15 minutes" in response.content.decode()


def test_password_spraying_from_one_address_locks_every_account_there(
    client, officer_account, settings
):
    """Four wrong passwords on each of many usernames never reach the per-account lock; from one
    address they reach the address's lock, and then even a right password is refused there."""
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 20
    for number in range(20):
        response = client.post(
            "/staff/sign-in/",
            {"username": f"user{number // 4}", "password": f"guess-{number}"},
            REMOTE_ADDR="203.0.113.9",
        )
        # The twentieth failure is the one that locks the address.
        assert response.status_code == (429 if number == 19 else 200)

    locked = client.post(
        "/staff/sign-in/",
        {"username": "officer", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    elsewhere = client.post(
        "/staff/sign-in/",
        {"username": "officer", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.20",
    )

    assert locked.status_code == 429
    assert "Sign in is locked for 15 minutes" in locked.content.decode()
    assert elsewhere.status_code == 302


def test_an_address_below_its_limit_keeps_the_per_account_count(client, officer_account, settings):
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 20
    for number in range(10):
        client.post(
            "/staff/sign-in/",
            {"username": f"colleague{number}", "password": "typo"},
            REMOTE_ADDR="203.0.113.9",
        )

    response = client.post(
        "/staff/sign-in/", {"username": "officer", "password": "typo"}, REMOTE_ADDR="203.0.113.9"
    )

    assert "You have 4 more tries before sign-in is locked" in response.content.decode()


def lead(account, *neighbourhoods, role=Assignment.Role.SERGEANT) -> None:
    officer = OfficerFactory(user=account)
    for neighbourhood in neighbourhoods:
        AssignmentFactory(officer=officer, neighbourhood=neighbourhood, role=role)


def uncovered_elements(page: str) -> list[Element]:
    """The elements from the heading "Neighbourhoods without a named officer" to the next."""
    everything = elements(page, "*")
    start = next(
        n
        for n, found in enumerate(everything)
        if found.tag == "h2" and found.text == "Neighbourhoods without a named officer"
    )
    end = next(n for n in range(start + 1, len(everything)) if everything[n].tag == "h2")
    return everything[start:end]


def uncovered_section(page: str) -> str:
    """What the page says under the heading "Neighbourhoods without a named officer"."""
    section = uncovered_elements(page)
    return " ".join(found.text for found in section if found.parent not in section)


def test_supervisor_sees_neighbourhoods_without_named_officer(client, supervisor_account):
    uncovered = NeighbourhoodFactory(name="Staveley")
    covered = AssignmentFactory(neighbourhood__name="Buxton").neighbourhood
    lead(supervisor_account, uncovered, covered)
    client.force_login(supervisor_account)

    page = client.get("/staff/").content.decode()

    assert uncovered.name in uncovered_section(page)
    assert "Buxton" not in uncovered_section(page)
    assert "Open the administration site" not in page


def test_sergeant_sees_only_the_neighbourhoods_they_supervise_without_named_officer(
    client, supervisor_account
):
    derby_city = DivisionFactory(name="Derby City")
    county_north = DivisionFactory(name="County North", force=derby_city.force)
    alvaston = NeighbourhoodFactory(name="Alvaston", division=derby_city, force=derby_city.force)
    normanton = NeighbourhoodFactory(name="Normanton", division=derby_city, force=derby_city.force)
    AssignmentFactory(neighbourhood=normanton)
    NeighbourhoodFactory(name="Staveley", division=county_north, force=county_north.force)
    lead(supervisor_account, alvaston, normanton)
    client.force_login(supervisor_account)

    page = client.get("/staff/").content.decode()

    assert any(
        found.tag == "a"
        and found.text == "Alvaston"
        and "Alvaston (Derby City)" in found.parent.text
        for found in uncovered_elements(page)
    )
    assert "Normanton" not in uncovered_section(page)
    assert "Staveley" not in page


def test_sergeant_whose_neighbourhoods_all_have_a_named_officer_is_told_so(
    client, supervisor_account
):
    normanton = AssignmentFactory(neighbourhood__name="Normanton").neighbourhood
    NeighbourhoodFactory(name="Staveley")
    lead(supervisor_account, normanton)
    client.force_login(supervisor_account)

    page = client.get("/staff/").content.decode()

    assert "Every neighbourhood you supervise has a named officer." in uncovered_section(page)
    assert "Staveley" not in page


def test_opcc_sees_force_figures_and_nothing_to_edit(client, opcc_account):
    AssignmentFactory()
    NeighbourhoodFactory()
    client.force_login(opcc_account)

    page = client.get("/staff/").content.decode()

    assert "The force at a glance" in page
    assert "Your neighbourhoods" not in page
    assert "Open the administration site" not in page


def test_account_without_a_role_is_told_to_ask_an_administrator(client, make_account):
    client.force_login(make_account())

    page = client.get("/staff/").content.decode()

    assert "Your account has no staff role yet" in page


@pytest.mark.parametrize("account", ["officer_account", "supervisor_account", "opcc_account"])
def test_admin_refuses_everyone_but_administrators(client, request, account):
    user = request.getfixturevalue(account)
    user.is_staff = True  # even a staff flag set by mistake does not open the admin
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_administrator_opens_the_admin(client, administrator_account):
    client.force_login(administrator_account)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Neighbourhood Portal administration" in response.content.decode()


def test_administrator_sees_the_admin_link_in_the_staff_area(client, administrator_account):
    client.force_login(administrator_account)

    page = client.get("/staff/").content.decode()

    assert reverse("admin:index") in page


def test_sign_out_ends_the_session(client, officer_account):
    client.force_login(officer_account)

    response = client.post("/staff/sign-out/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assertRedirects(
        client.get("/staff/"), "/staff/sign-in/?next=/staff/", fetch_redirect_response=False
    )


def test_administrator_is_told_of_emails_that_could_not_be_sent(client, administrator_account):
    from notifications.models import OutboxEmail

    OutboxEmail.objects.create(
        to=["a@example.org"], subject="s", body_text="b", status=OutboxEmail.Status.FAILED
    )
    client.force_login(administrator_account)

    page = client.get("/staff/").content.decode()

    assert "1 email could not be sent" in page
    assert "/admin/notifications/outboxemail/?status__exact=failed" in page


def test_officer_is_not_shown_the_outbox(client, officer_account):
    client.force_login(officer_account)

    page = client.get("/staff/").content.decode()

    assert "could not be sent" not in page
    assert "Open the queries inbox" in page


def test_officer_is_told_their_neighbourhood_has_no_beat_meeting_coming(client, officer_account):
    officer = OfficerFactory(user=officer_account)
    AssignmentFactory(officer=officer, neighbourhood__name="Normanton")
    AssignmentFactory(neighbourhood__name="Buxton")  # not theirs, stale too
    client.force_login(officer_account)

    page = client.get("/staff/").content.decode()

    assert "1 neighbourhood\u2019s listings need bringing up to date" in page


def test_officer_with_a_meeting_coming_is_not_warned(client, officer_account):
    officer = OfficerFactory(user=officer_account)
    assignment = AssignmentFactory(officer=officer)
    EventFactory(neighbourhood=assignment.neighbourhood)
    client.force_login(officer_account)

    page = client.get("/staff/").content.decode()

    assert "bringing up to date" not in page


def test_opcc_is_offered_the_dashboard(client, opcc_account):
    client.force_login(opcc_account)

    assert "SLA and Guarantee dashboard" in client.get("/staff/").content.decode()


def test_account_with_only_the_supervisor_role_and_no_team_is_not_offered_the_dashboard(
    client, make_account
):
    account = make_account(Role.SUPERVISOR)
    OfficerFactory(user=account)  # supervises nowhere yet
    client.force_login(account)

    assert "SLA and Guarantee dashboard" not in client.get("/staff/").content.decode()


def _teams(count: int, sergeant, officer) -> None:
    """`count` neighbourhoods led by `sergeant`, each with `officer` named, a team, priorities
    and coming events: enough for a query per row to show."""
    lead, named = OfficerFactory(user=sergeant), OfficerFactory(user=officer)
    for _ in range(count):
        area = NeighbourhoodFactory()
        AssignmentFactory(officer=lead, neighbourhood=area, role=Assignment.Role.SERGEANT)
        AssignmentFactory(officer=named, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
        for _ in range(3):
            AssignmentFactory(neighbourhood=area, role=Assignment.Role.TEAM_MEMBER)
            PriorityFactory(neighbourhood=area)
            EventFactory(neighbourhood=area, starts_at=timezone.now() + datetime.timedelta(days=3))
        # Queries new, due soon and overdue, held by the named officer and by the team.
        for hours_ago in (1, 50, 80):
            for assigned in (named, None):
                QueryFactory(
                    neighbourhood=area,
                    assigned_officer=assigned,
                    submitted_at=timezone.now() - datetime.timedelta(hours=hours_ago),
                )


# Measured: the staff home's sections come from seven apps; none reads row by row. The queries
# section counts what an officer holds and a supervisor supervises in one aggregate query; the
# ASB section asks once whether the user leads on ASB or is delegated to.
@pytest.mark.parametrize(
    ("account", "most"),
    [
        ("officer_account", 18),
        ("supervisor_account", 22),
        ("opcc_account", 10),
        ("administrator_account", 17),
    ],
)
@pytest.mark.parametrize("neighbourhoods", [1, 8])
def test_staff_home_runs_a_fixed_number_of_queries_whatever_the_data(
    client,
    request,
    officer_account,
    supervisor_account,
    account,
    most,
    neighbourhoods,
    django_assert_max_num_queries,
):
    _teams(neighbourhoods, supervisor_account, officer_account)
    client.force_login(request.getfixturevalue(account))

    with django_assert_max_num_queries(most):
        response = client.get("/staff/")

    assert response.status_code == 200
    assert "Staff area" in response.content.decode()
