import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from config.roles import Role, user_roles
from engagement.models import Priority
from meetings.models import Event
from neighbourhoods.models import Division, Neighbourhood, Postcode
from officers.models import Assignment, Officer, Rank

pytestmark = pytest.mark.django_db

MODELS = [Division, Neighbourhood, Postcode, Priority, Officer, Assignment, Event, get_user_model()]


def _snapshot() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS
    } | {"updated": sorted(Neighbourhood.objects.values_list("updated_at", flat=True))}


def test_seed_demo_builds_the_demo_force():
    call_command("seed_demo")

    assert Division.objects.count() >= 2
    assert Neighbourhood.objects.count() >= 12
    assert not Neighbourhood.objects.filter(boundary__isnull=True).exists()
    assert all(n.postcodes.count() >= 3 for n in Neighbourhood.objects.all())
    ranks = set(Officer.objects.values_list("rank", flat=True))
    assert {Rank.PC, Rank.PCSO, Rank.SGT, Rank.INSP} <= ranks
    named = Assignment.objects.current().filter(role=Assignment.Role.NAMED_OFFICER)
    assert named.count() == Neighbourhood.objects.count() - 1
    assert Event.objects.upcoming().exists()
    assert Event.objects.past().exists()
    assert Priority.objects.exists()


def test_seed_demo_creates_the_four_demo_sign_ins():
    call_command("seed_demo")
    users = {u.username: u for u in get_user_model().objects.all()}

    for username in ["officer", "sergeant", "opcc", "admin"]:
        assert users[username].check_password("neighbourhood")
    assert user_roles(users["officer"]) == {Role.OFFICER}
    assert user_roles(users["sergeant"]) == {Role.OFFICER, Role.SUPERVISOR}
    assert user_roles(users["opcc"]) == {Role.OPCC}
    assert Role.ADMINISTRATOR in user_roles(users["admin"])


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    before = _snapshot()

    call_command("seed_demo")

    assert _snapshot() == before


def test_seed_demo_refuses_when_not_allowed(settings):
    settings.SEED_DEMO_ALLOWED = False

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not Neighbourhood.objects.exists()
