"""Which dashboard scopes each role may choose, which is theirs by default, and the refusals:
PermissionDenied for a scope out of reach, ValueError for a key that is not a scope at all."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from config.roles import Role
from officers.models import Assignment, Rank
from officers.scopes import dashboard_scopes, scope_for
from tests.factories import (
    AssignmentFactory,
    DivisionFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NAMED = Assignment.Role.NAMED_OFFICER
TEAM = Assignment.Role.TEAM_MEMBER
SERGEANT = Assignment.Role.SERGEANT
INSPECTOR = Assignment.Role.INSPECTOR


@pytest.fixture
def world(officer_account, supervisor_account):
    """Derby City (Normanton, Arboretum) and Derby South (Littleover, Mickleover).
    PC Priya Sharma is Normanton's named officer; PCSO Grace Whitfield serves Arboretum;
    Sgt Mark Riley is sergeant of Normanton, Arboretum and Littleover (all of Derby City, half
    of Derby South); PC Olu Adeyemi serves Mickleover; Ann Former's assignment has ended."""
    city = DivisionFactory(name="Derby City", slug="derby-city")
    south = DivisionFactory(name="Derby South", slug="derby-south")
    areas = {
        slug: NeighbourhoodFactory(name=slug.title(), slug=slug, division=division)
        for slug, division in [
            ("normanton", city),
            ("arboretum", city),
            ("littleover", south),
            ("mickleover", south),
        ]
    }
    officers = {
        "priya": OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC),
        "grace": OfficerFactory(display_name="Grace Whitfield", rank=Rank.PCSO),
        "mark": OfficerFactory(user=supervisor_account, display_name="Mark Riley", rank=Rank.SGT),
        "olu": OfficerFactory(display_name="Olu Adeyemi", rank=Rank.PC),
        "ann": OfficerFactory(display_name="Ann Former", rank=Rank.PC),
    }
    for officer, area, role in [
        ("priya", "normanton", NAMED),
        ("grace", "arboretum", TEAM),
        ("mark", "normanton", SERGEANT),
        ("mark", "arboretum", SERGEANT),
        ("mark", "littleover", SERGEANT),
        ("olu", "mickleover", NAMED),
    ]:
        AssignmentFactory(officer=officers[officer], neighbourhood=areas[area], role=role)
    today = timezone.localdate()
    AssignmentFactory(
        officer=officers["ann"],
        neighbourhood=areas["littleover"],
        role=TEAM,
        start_date=today - datetime.timedelta(days=100),
        end_date=today - datetime.timedelta(days=1),
    )
    return areas, officers


def keys(scopes) -> list[str]:
    return [scope.key for scope in scopes]


def officer_key(officer) -> str:
    return f"officer:{officer.pk}"


# --- OPCC and administrators: the whole force -------------------------------------------------


def test_opcc_may_choose_the_force_every_division_neighbourhood_and_serving_officer(
    world, opcc_account
):
    _areas, officers = world
    assert keys(dashboard_scopes(opcc_account)) == [
        "force",
        "division:derby-city",
        "division:derby-south",
        "neighbourhood:arboretum",
        "neighbourhood:littleover",
        "neighbourhood:mickleover",
        "neighbourhood:normanton",
        *(officer_key(officers[name]) for name in ["grace", "mark", "olu", "priya"]),
    ]


def test_administrator_may_choose_what_opcc_may(world, opcc_account, administrator_account):
    assert keys(dashboard_scopes(administrator_account)) == keys(dashboard_scopes(opcc_account))


def test_superuser_without_groups_may_choose_the_force(world):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert scope_for(superuser, None).key == "force"


def test_opcc_default_is_the_whole_force(world, opcc_account):
    scope = scope_for(opcc_account, None)
    assert (scope.key, scope.label, scope.neighbourhood_ids) == (
        "force",
        settings.FORCE_NAME,
        None,
    )


def test_division_scope_covers_its_neighbourhoods(world, opcc_account):
    areas, _officers = world
    scope = scope_for(opcc_account, "division:derby-city")
    assert scope.label == "Division: Derby City"
    assert scope.neighbourhood_ids == {areas["normanton"].pk, areas["arboretum"].pk}


def test_neighbourhood_scope_is_that_one(world, opcc_account):
    areas, _officers = world
    scope = scope_for(opcc_account, "neighbourhood:normanton")
    assert (scope.label, scope.neighbourhood_ids) == (
        "Neighbourhood: Normanton",
        {areas["normanton"].pk},
    )


def test_officer_scope_names_the_officer_and_where_they_serve_now(world, opcc_account):
    areas, officers = world
    scope = scope_for(opcc_account, officer_key(officers["mark"]))
    assert (scope.label, scope.officer_id) == ("Officer: Sgt Mark Riley", officers["mark"].pk)
    assert scope.neighbourhood_ids == {
        areas[slug].pk for slug in ["normanton", "arboretum", "littleover"]
    }


@pytest.mark.parametrize("key", ["mine", "neighbourhood:nowhere", "division:nowhere"])
def test_opcc_cannot_see_what_is_not_in_the_force(world, opcc_account, key):
    with pytest.raises(PermissionDenied):
        scope_for(opcc_account, key)


def test_opcc_cannot_see_an_officer_who_no_longer_serves(world, opcc_account):
    _areas, officers = world
    with pytest.raises(PermissionDenied):
        scope_for(opcc_account, officer_key(officers["ann"]))


def test_opcc_cannot_see_an_officer_who_does_not_exist(world, opcc_account):
    with pytest.raises(PermissionDenied):
        scope_for(opcc_account, "officer:987654321")


# --- Supervisors: their neighbourhoods --------------------------------------------------------


def test_sergeant_may_choose_their_neighbourhoods_whole_divisions_and_officers(
    world, supervisor_account
):
    # Derby South is only half theirs: not offered. PC Olu Adeyemi serves elsewhere.
    _areas, officers = world
    assert keys(dashboard_scopes(supervisor_account)) == [
        "mine",
        "division:derby-city",
        "neighbourhood:arboretum",
        "neighbourhood:littleover",
        "neighbourhood:normanton",
        *(officer_key(officers[name]) for name in ["grace", "mark", "priya"]),
    ]


def test_sergeant_default_is_their_neighbourhoods(world, supervisor_account):
    areas, _officers = world
    scope = scope_for(supervisor_account, "")
    assert (scope.key, scope.label) == ("mine", "Your neighbourhoods")
    assert scope.neighbourhood_ids == {
        areas[slug].pk for slug in ["normanton", "arboretum", "littleover"]
    }


@pytest.mark.parametrize(
    "key", ["force", "division:derby-south", "neighbourhood:mickleover", "division:nowhere"]
)
def test_sergeant_cannot_see_another_divisions_figures(world, supervisor_account, key):
    with pytest.raises(PermissionDenied):
        scope_for(supervisor_account, key)


def test_sergeant_cannot_see_an_officer_serving_elsewhere(world, supervisor_account):
    _areas, officers = world
    with pytest.raises(PermissionDenied):
        scope_for(supervisor_account, officer_key(officers["olu"]))


def test_inspector_of_a_whole_division_may_choose_it(world, make_account):
    areas, _officers = world
    account = make_account(Role.SUPERVISOR, username="inspector")
    inspector = OfficerFactory(user=account, display_name="Helen Okoro", rank=Rank.INSP)
    for slug in ["littleover", "mickleover"]:
        AssignmentFactory(officer=inspector, neighbourhood=areas[slug], role=INSPECTOR)
    scope = scope_for(account, "division:derby-south")
    assert scope.neighbourhood_ids == {areas["littleover"].pk, areas["mickleover"].pk}


def test_sergeant_whose_assignment_ended_sees_only_their_own_figures(world, make_account):
    areas, _officers = world
    account = make_account(Role.OFFICER, Role.SUPERVISOR, username="moved-on")
    sergeant = OfficerFactory(user=account, display_name="Tom Hale", rank=Rank.SGT)
    today = timezone.localdate()
    AssignmentFactory(
        officer=sergeant,
        neighbourhood=areas["mickleover"],
        role=SERGEANT,
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=1),
    )
    assert keys(dashboard_scopes(account)) == [officer_key(sergeant)]


def test_supervisor_without_a_supervising_assignment_or_officer_role_sees_nothing(
    world, make_account
):
    account = make_account(Role.SUPERVISOR, username="desk")
    OfficerFactory(user=account, display_name="Desk Sergeant", rank=Rank.SGT)
    assert dashboard_scopes(account) == []


# --- Officers: their own figures --------------------------------------------------------------


def test_officer_may_choose_only_their_own_figures(world, officer_account):
    areas, officers = world
    [scope] = dashboard_scopes(officer_account)
    assert (scope.key, scope.label) == (officer_key(officers["priya"]), "Officer: PC Priya Sharma")
    assert (scope.officer_id, scope.neighbourhood_ids) == (
        officers["priya"].pk,
        {areas["normanton"].pk},
    )


def test_officer_default_is_their_own_figures(world, officer_account):
    _areas, officers = world
    assert scope_for(officer_account, None).officer_id == officers["priya"].pk


@pytest.mark.parametrize("key", ["force", "mine", "division:derby-city", "neighbourhood:normanton"])
def test_officer_cannot_see_the_force_or_their_neighbourhood(world, officer_account, key):
    with pytest.raises(PermissionDenied):
        scope_for(officer_account, key)


def test_officer_cannot_see_another_officers_figures(world, officer_account):
    _areas, officers = world
    with pytest.raises(PermissionDenied):
        scope_for(officer_account, officer_key(officers["grace"]))


def test_officer_role_without_a_profile_sees_nothing(make_account):
    assert dashboard_scopes(make_account(Role.OFFICER, username="no-profile")) == []


def test_officer_between_assignments_still_sees_their_own_figures(make_account):
    account = make_account(Role.OFFICER, username="between")
    officer = OfficerFactory(user=account, display_name="Sam Unplaced")
    scope = scope_for(account, None)
    assert (scope.officer_id, scope.neighbourhood_ids) == (officer.pk, frozenset())


# --- Everyone else ----------------------------------------------------------------------------


def test_account_without_a_role_has_no_dashboard(world):
    user = UserFactory(username="nobody")
    assert dashboard_scopes(user) == []
    with pytest.raises(PermissionDenied):
        scope_for(user, None)


def test_visitor_has_no_dashboard(world):
    assert dashboard_scopes(AnonymousUser()) == []
    with pytest.raises(PermissionDenied):
        scope_for(AnonymousUser(), "force")


def test_inactive_opcc_account_has_no_dashboard(world, make_account):
    account = make_account(Role.OPCC, username="left", is_active=False)
    assert dashboard_scopes(account) == []


# --- Nonsense ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "everything",
        "Force",
        "force:1",
        "mine ",
        "division:",
        "division:derby city",
        "neighbourhood:<script>",
        "officer:abc",
        "officer:-1",
        "officer:1:2",
        "x" * 5000,
    ],
)
def test_a_key_that_is_not_a_scope_is_a_value_error(world, opcc_account, key):
    with pytest.raises(ValueError, match="not a dashboard scope"):
        scope_for(opcc_account, key)


# --- A few queries, whatever the size of the force --------------------------------------------


@pytest.fixture
def bigger_world(world):
    areas, officers = world
    division = areas["normanton"].division
    for _ in range(30):
        area = NeighbourhoodFactory(division=division)
        AssignmentFactory(neighbourhood=area, role=NAMED)
        AssignmentFactory(officer=officers["mark"], neighbourhood=area, role=SERGEANT)
    return world


@pytest.mark.parametrize(
    ("account", "statements"),
    [("opcc_account", 3), ("supervisor_account", 6), ("officer_account", 3)],
)
def test_scopes_take_a_fixed_number_of_queries(
    bigger_world, request, account, statements, django_assert_num_queries
):
    user = request.getfixturevalue(account)
    with django_assert_num_queries(statements):
        scopes = dashboard_scopes(user)
    assert scopes
