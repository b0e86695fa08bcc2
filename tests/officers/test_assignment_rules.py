"""One named officer per neighbourhood on any day, and who leads whom."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from config.dates import LONDON
from config.roles import Role
from officers.models import Assignment
from officers.permissions import can_edit_officer_profile
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 5, 13, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


def test_overlapping_named_officer_is_refused_with_a_message():
    current = AssignmentFactory(
        start_date=TODAY - datetime.timedelta(days=10), end_date=TODAY + datetime.timedelta(days=10)
    )
    newcomer = Assignment(
        officer=OfficerFactory(),
        neighbourhood=current.neighbourhood,
        role=Assignment.Role.NAMED_OFFICER,
        start_date=TODAY,
    )

    with pytest.raises(ValidationError) as refused:
        newcomer.full_clean()

    assert "is the named officer here from" in str(refused.value)


def test_handover_after_the_end_date_is_accepted():
    current = AssignmentFactory(
        start_date=TODAY - datetime.timedelta(days=10), end_date=TODAY + datetime.timedelta(days=10)
    )
    successor = Assignment(
        officer=OfficerFactory(),
        neighbourhood=current.neighbourhood,
        role=Assignment.Role.NAMED_OFFICER,
        start_date=TODAY + datetime.timedelta(days=11),
    )

    successor.full_clean()


def test_admin_shows_the_overlap_instead_of_failing(client, make_account):
    current = AssignmentFactory(
        start_date=TODAY - datetime.timedelta(days=10), end_date=TODAY + datetime.timedelta(days=10)
    )
    newcomer = OfficerFactory(display_name="New Officer", rank="PC")
    client.force_login(make_account(Role.ADMINISTRATOR))
    url = f"/admin/officers/officer/{newcomer.pk}/change/"
    data = {
        "display_name": "New Officer",
        "rank": "PC",
        "collar_number": newcomer.collar_number,
        "languages": "[]",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-neighbourhood": str(current.neighbourhood_id),
        "assignments-0-role": "named",
        "assignments-0-start_date": TODAY.isoformat(),
        "assignments-0-end_date": "",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert "is the named officer here from" in response.content.decode()
    assert not Assignment.objects.filter(officer=newcomer).exists()


@pytest.fixture
def area():
    return NeighbourhoodFactory()


def _officer_in(area, role, make_account=None, username=None):
    user = make_account(Role.OFFICER, Role.SUPERVISOR, username=username) if make_account else None
    return AssignmentFactory(neighbourhood=area, role=role, officer__user=user).officer


def test_sergeant_edits_team_but_not_their_inspector_or_a_fellow_sergeant(area, make_account):
    sergeant = _officer_in(area, "sergeant", make_account, "sgt")
    team_member = _officer_in(area, "team")
    inspector = _officer_in(area, "inspector")
    fellow = _officer_in(area, "sergeant")

    assert can_edit_officer_profile(sergeant.user, team_member)
    assert not can_edit_officer_profile(sergeant.user, inspector)
    assert not can_edit_officer_profile(sergeant.user, fellow)


def test_inspector_edits_the_sergeants_they_lead(area, make_account):
    inspector = _officer_in(area, "inspector", make_account, "insp")
    sergeant = _officer_in(area, "sergeant")

    assert can_edit_officer_profile(inspector.user, sergeant)
