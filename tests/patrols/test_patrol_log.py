"""Logging a patrol: the form on the staff side, the service's rules (who, how long, counts),
the monthly tally, and that a patrol is never abstraction."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from config.roles import Role
from dashboards.selectors.abstractions import abstraction_report
from officers.abstractions import abstraction_current
from officers.scopes import dashboard_scopes
from patrols.models import Patrol, PatrolMonth
from patrols.services import patrol_log
from tests.factories import AssignmentFactory, OfficerFactory
from tests.fixtures.patrols import evening, make_hotspot
from tests.html import elements

pytestmark = pytest.mark.django_db

LOG = "/staff/patrols/new/"


def form_data(hotspot, *, day=None, start="19:00", end="21:00", **extra) -> dict:
    day = day or timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "hotspot": hotspot.pk,
        "start_date_day": day.day,
        "start_date_month": day.month,
        "start_date_year": day.year,
        "start_time": start,
        "end_time": end,
    }
    data.update(extra)
    return data


def test_an_officer_logs_a_patrol_with_a_colleague_and_the_month_is_tallied(
    client, priya, hotspot, colleague
):
    client.force_login(priya.user)
    response = client.post(
        LOG,
        form_data(
            hotspot,
            others=[colleague.pk],
            arrests="1",
            groups_dispersed="2",
            immediate_justice="3",
            note="Spoke to the shop managers.",
        ),
    )

    assert response.status_code == 302
    patrol = Patrol.objects.get()
    assert set(patrol.officers.values_list("display_name", flat=True)) == {
        "Priya Sharma",
        "Tom Ellis",
    }
    assert (patrol.arrests, patrol.groups_dispersed, patrol.people_engaged) == (1, 2, 0)
    month = PatrolMonth.objects.get()
    assert month.month == patrol.starts_at.date().replace(day=1)
    assert (month.patrols, month.minutes, month.officer_minutes) == (1, 120, 240)
    assert (month.arrests, month.immediate_justice) == (1, 3)
    page = client.get(response["Location"]).content.decode()
    assert "Your patrol of Normanton Park is logged: 2 hours" in page


def test_a_patrol_over_midnight_ends_the_next_day(client, priya, hotspot):
    client.force_login(priya.user)
    client.post(
        LOG,
        form_data(
            hotspot,
            day=timezone.localdate() - datetime.timedelta(days=2),
            start="22:30",
            end="01:30",
        ),
    )

    patrol = Patrol.objects.get()
    assert patrol.minutes == 180
    assert patrol.ends_at.date() == patrol.starts_at.date() + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"end_date_day": "1", "end_date_month": "1", "end_date_year": "2020"},
            "The end must be after the start",
        ),
        ({"arrests": "-1"}, "Arrests must be 0 or more"),
        ({"groups_dispersed": "two"}, "Groups dispersed must be a whole number, like 2"),
        ({"start_time": ""}, "Enter the start time"),
    ],
)
def test_bad_patrols_are_refused_with_a_message_on_the_form(client, priya, hotspot, extra, message):
    client.force_login(priya.user)
    response = client.post(LOG, form_data(hotspot, **extra))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Patrol.objects.exists()
    assert not PatrolMonth.objects.exists()


def test_a_patrol_of_30_hours_is_refused(client, priya, hotspot):
    client.force_login(priya.user)
    day = timezone.localdate() - datetime.timedelta(days=3)
    end = day + datetime.timedelta(days=1)
    response = client.post(
        LOG,
        form_data(
            hotspot,
            day=day,
            start="08:00",
            end="14:00",
            end_date_day=end.day,
            end_date_month=end.month,
            end_date_year=end.year,
        ),
    )

    assert response.status_code == 200
    assert "A patrol can last 12 hours at most" in response.content.decode()
    assert not Patrol.objects.exists()


def test_the_service_refuses_negative_counts_and_the_future(priya, hotspot):
    with pytest.raises(ValidationError) as refused:
        patrol_log(
            by=priya.user,
            hotspot=hotspot,
            starts_at=evening(1),
            ends_at=evening(1, 21),
            outcomes={"arrests": -2},
        )
    assert refused.value.message_dict == {"arrests": ["Enter 0 or more"]}
    with pytest.raises(ValidationError) as future:
        patrol_log(
            by=priya.user,
            hotspot=hotspot,
            starts_at=timezone.now() - datetime.timedelta(hours=1),
            ends_at=timezone.now() + datetime.timedelta(hours=1),
        )
    assert "in the future" in future.value.message_dict["ends_at"][0]


def test_an_officer_cannot_log_against_another_divisions_hotspot(
    client, priya, hotspot, matlock_hotspot
):
    client.force_login(priya.user)
    page = client.get(LOG).content.decode()
    assert "Normanton Park" in page
    assert "Matlock Bath riverside" not in page

    response = client.post(LOG, form_data(matlock_hotspot))
    assert response.status_code == 200
    assert "Choose one of the hotspots listed" in response.content.decode()
    with pytest.raises(PermissionDenied):
        patrol_log(
            by=priya.user,
            hotspot=matlock_hotspot,
            starts_at=evening(1),
            ends_at=evening(1, 21),
        )
    assert not Patrol.objects.exists()


def test_an_officer_cannot_put_an_officer_of_another_team_on_a_patrol(
    client, priya, hotspot, matlock
):
    stranger = OfficerFactory(display_name="Ruth Kenyon")
    AssignmentFactory(officer=stranger, neighbourhood=matlock)
    with pytest.raises(ValidationError) as refused:
        patrol_log(
            by=priya.user,
            hotspot=hotspot,
            starts_at=evening(1),
            ends_at=evening(1, 21),
            others=[stranger],
        )
    assert "Ruth Kenyon is not in your team" in refused.value.message_dict["others"][0]


@pytest.mark.parametrize("role", [Role.OPCC, None])
def test_opcc_and_accounts_without_a_role_cannot_log_patrols(client, make_account, hotspot, role):
    account = make_account(*([role] if role else []))
    client.force_login(account)

    assert client.get(LOG).status_code == 403
    assert client.post(LOG, form_data(hotspot)).status_code == 403
    assert client.get("/staff/patrols/").status_code == 403
    with pytest.raises(PermissionDenied):
        patrol_log(by=account, hotspot=hotspot, starts_at=evening(1), ends_at=evening(1, 21))
    assert not Patrol.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client, hotspot):
    for url in (LOG, "/staff/patrols/", "/staff/patrols/hotspots/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/sign-in/")
    client.post(LOG, form_data(hotspot))
    assert not Patrol.objects.exists()


def test_a_patrol_is_never_counted_as_abstraction(priya, sergeant, hotspot):
    patrol_log(
        by=priya.user,
        hotspot=hotspot,
        starts_at=evening(1, 17),
        ends_at=evening(1, 23),
        outcomes={"arrests": 1},
    )

    assert abstraction_current(priya, evening(1, 20)) is None
    scope = dashboard_scopes(sergeant.user)[0]
    report = abstraction_report(scope=scope, weeks=4, now=timezone.now())
    assert report.total == 0
    assert [row.label for row in report.by_officer if row.hours] == []
    assert [row.label for row in report.by_neighbourhood if row.hours] == []


def test_with_many_hotspots_the_choice_is_a_select_that_still_logs(client, priya, area):
    spots = [make_hotspot(area, f"Hotspot {number:02d}") for number in range(9)]
    client.force_login(priya.user)

    page = client.get(LOG).content.decode()
    assert elements(page, "select", name="hotspot")
    assert not elements(page, "input", type="radio")
    response = client.post(LOG, form_data(spots[4]))
    assert response.status_code == 302
    assert Patrol.objects.get().hotspot == spots[4]


def test_an_officer_who_chose_welsh_logs_a_patrol_in_welsh(client, settings, priya, hotspot):
    client.force_login(priya.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    day = timezone.localdate() - datetime.timedelta(days=3)
    end = day + datetime.timedelta(days=1)

    too_long = client.post(
        LOG,
        form_data(
            hotspot,
            day=day,
            start="08:00",
            end="14:00",
            end_date_day=end.day,
            end_date_month=end.month,
            end_date_year=end.year,
        ),
    )
    logged = client.post(LOG, form_data(hotspot), follow=True)

    refused = too_long.content.decode()
    assert "Gall patrôl bara 12 awr ar y mwyaf" in refused
    assert "A patrol can last" not in refused
    page = logged.content.decode()
    assert "Mae eich patrôl o Normanton Park wedi’i gofnodi: 2 awr" in page
    assert "Eich patrolau diweddaraf" in page
    assert "(2 awr)" in page
    assert Patrol.objects.count() == 1
