"""seed_demo gives the ASB lead (who signs in as `asblead`), the Derby City division's lead,
an action plan, the report guide and a Police and Crime Plan, and changes none of them when it
runs again."""

import pytest
from django.core.management import call_command

from asb.models import Action, BehaviourKind, Lead, Organisation, ReportRoute, Section
from asb.permissions import plan_scope
from crimeplan.models import Plan, PlanPriority

pytestmark = pytest.mark.django_db

MODELS = [Lead, Section, Action, BehaviourKind, Organisation, ReportRoute, Plan, PlanPriority]


def _snapshot() -> dict:
    rows = {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}
    rows["tags"] = sorted(
        PlanPriority.neighbourhood_priorities.through.objects.values_list("pk", flat=True)
    )
    rows["history"] = Action.history.count()
    return rows


def test_seed_demo_has_a_lead_a_plan_a_guide_and_a_crime_plan(client):
    call_command("seed_demo")

    force_lead = Lead.objects.get(division__isnull=True)
    assert force_lead.officer.user.username == "asblead"
    assert force_lead.officer.user.check_password("neighbourhood")
    assert plan_scope(force_lead.officer.user).whole_plan
    division_lead = Lead.objects.get(division__slug="derby-city")
    assert division_lead.officer.user.username == "sergeant"
    assert list(Section.objects.values_list("title", flat=True)) == [
        "Town centres",
        "Residential areas",
    ]
    assert Action.objects.count() == 4
    assert {kind.slug for kind in BehaviourKind.objects.all()} >= {
        "noise",
        "neighbour-disputes",
        "fly-tipping",
        "graffiti",
        "drug-dealing",
        "threatening-behaviour",
        "vehicle-nuisance",
        "begging",
    }
    assert all(kind.routes.exists() for kind in BehaviourKind.objects.all())
    plan = Plan.objects.get()
    assert plan.priorities.count() == 6
    assert plan.priorities.get(title="Road safety").neighbourhood_priorities.exists()

    page = client.get("/asb/").content.decode()
    assert "Rachel Adeyemi" in page
    assert "Evening patrols in Derby city centre" in page
    plan_page = client.get("/police-and-crime-plan/").content.decode()
    assert "Speeding vehicles near the primary school" in plan_page


def test_seed_demo_twice_changes_nothing_here():
    call_command("seed_demo")
    before = _snapshot()

    call_command("seed_demo")

    assert _snapshot() == before
