"""The ASB leads most ASB tests share: the force's lead (`asblead`), Derby City division's lead
(`divisionlead`), each division's action, and the two sections."""

import datetime

import pytest
from django.utils import timezone

from asb.models import Action, Lead, Section
from config.roles import Role
from tests.factories import DivisionFactory, NeighbourhoodFactory, OfficerFactory


@pytest.fixture
def divisions():
    derby = DivisionFactory(name="Derby City", slug="derby-city")
    north = DivisionFactory(name="County North", slug="county-north", force=derby.force)
    return {"derby": derby, "north": north}


@pytest.fixture
def sections():
    return {
        "town": Section.objects.create(title="Town centres", position=1),
        "residential": Section.objects.create(title="Residential areas", position=2),
    }


@pytest.fixture
def force_lead(make_account):
    officer = OfficerFactory(
        user=make_account(Role.OFFICER, username="asblead"),
        display_name="Rachel Adeyemi",
        email="rachel.adeyemi@example.police.uk",
        phone="101",
    )
    return Lead.objects.create(
        officer=officer,
        role="Force lead for anti-social behaviour",
        responsibilities="Leads the force's work on ASB with the divisions.",
        contact="Write to the Prevention and Partnerships team.",
    )


@pytest.fixture
def division_lead(make_account, divisions):
    officer = OfficerFactory(
        user=make_account(Role.OFFICER, Role.SUPERVISOR, username="divisionlead"),
        display_name="Mark Riley",
    )
    return Lead.objects.create(
        officer=officer, division=divisions["derby"], role="Division lead for ASB"
    )


@pytest.fixture
def actions(sections, divisions):
    due = timezone.localdate() + datetime.timedelta(days=30)
    derby_area = NeighbourhoodFactory(
        name="Derby City Centre", division=divisions["derby"], force=divisions["derby"].force
    )
    return {
        "derby": Action.objects.create(
            section=sections["town"],
            division=divisions["derby"],
            title="Evening patrols in the city centre",
            owner_kind=Action.OwnerKind.NEIGHBOURHOOD,
            owner_neighbourhood=derby_area,
            due_on=due,
        ),
        "north": Action.objects.create(
            section=sections["residential"],
            division=divisions["north"],
            title="Off-road bikes: seize and crush",
            owner_kind=Action.OwnerKind.DIVISION,
            owner_division=divisions["north"],
            due_on=due,
        ),
    }
