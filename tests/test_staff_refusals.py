"""Every page and action of the staff priorities, surveys, abstractions and patrols areas
refuses the people who must be refused: a visitor is sent to sign in; an account without a
role, OPCC (which reads dashboards, not listings) and an officer of another neighbourhood get a
403, and nothing changes."""

import datetime

import pytest
from django.utils import timezone

from config.roles import Role
from engagement.models import Priority, Survey, SurveyOption, SurveyResponse
from officers.models import Abstraction
from patrols.models import Hotspot, Patrol
from tests.factories import (
    AssignmentFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
)
from tests.fixtures.patrols import make_hotspot

pytestmark = pytest.mark.django_db

REFUSED = ["no role", "OPCC", "officer of another neighbourhood"]


@pytest.fixture
def listings():
    """A neighbourhood's priority, survey (with an answer to moderate) and an abstraction of
    its officer."""
    area = NeighbourhoodFactory(name="Normanton", slug="normanton")
    officer = AssignmentFactory(neighbourhood=area).officer
    today = timezone.localdate()
    survey = Survey.objects.create(
        neighbourhood=area,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
        allow_free_text=True,
    )
    option = SurveyOption.objects.create(survey=survey, label="Speeding")
    answer = SurveyResponse.objects.create(
        survey=survey,
        option=option,
        free_text="More patrols",
        email_hash="a" * 64,
        confirm_token_hash="b" * 64,
        confirmed_at=timezone.now(),
    )
    abstraction = Abstraction.objects.create(
        officer=officer,
        reason=Abstraction.Reason.COURT,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )
    return {
        "area": area,
        "priority": PriorityFactory(neighbourhood=area, issue="Parking on Fox Lane"),
        "survey": survey,
        "answer": answer,
        "abstraction": abstraction,
        "hotspot": make_hotspot(area, "Normanton Park"),
    }


@pytest.fixture
def accounts(make_account):
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere), neighbourhood__name="Allenton")
    return {
        "officer of another neighbourhood": elsewhere,
        "OPCC": make_account(Role.OPCC, username="opcc"),
        "no role": make_account(username="norole"),
    }


def pages(listings) -> list[tuple[str, str, dict]]:
    """(method, url, data) of every page and action that touches the neighbourhood's items."""
    priority, survey = listings["priority"], listings["survey"]
    answer, entry = listings["answer"], listings["abstraction"]
    return [
        ("get", f"/staff/priorities/{priority.pk}/edit/", {}),
        ("post", f"/staff/priorities/{priority.pk}/edit/", {"issue": "Mine now"}),
        ("get", f"/staff/surveys/{survey.pk}/", {}),
        ("get", f"/staff/surveys/{survey.pk}/edit/", {}),
        ("post", f"/staff/surveys/{survey.pk}/edit/", {"question": "Mine now"}),
        (
            "post",
            f"/staff/surveys/{survey.pk}/answers/{answer.pk}/moderate/",
            {"decision": "approve"},
        ),
        ("get", f"/staff/abstractions/{entry.pk}/correct/", {}),
        ("post", f"/staff/abstractions/{entry.pk}/correct/", {"reason": "training"}),
        ("post", f"/staff/abstractions/{entry.pk}/end/", {}),
        ("get", f"/staff/patrols/hotspots/{listings['hotspot'].pk}/edit/", {}),
        ("post", f"/staff/patrols/hotspots/{listings['hotspot'].pk}/edit/", {"name": "Mine now"}),
    ]


def nothing_changed(listings) -> None:
    assert Priority.objects.get().issue == "Parking on Fox Lane"
    assert Survey.objects.get().question == "What should we focus on next?"
    assert Survey.objects.count() == 1
    assert SurveyResponse.objects.get().moderation == SurveyResponse.Moderation.PENDING
    entry = Abstraction.objects.get()
    assert entry.reason == Abstraction.Reason.COURT
    assert entry.ends_at is None
    assert Hotspot.objects.get().name == "Normanton Park"
    assert not Patrol.objects.exists()


@pytest.mark.parametrize("who", REFUSED)
def test_items_of_a_neighbourhood_are_refused_to_anyone_who_does_not_keep_it(
    client, listings, accounts, who
):
    client.force_login(accounts[who])
    for method, url, data in pages(listings):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url, response.status_code)
    nothing_changed(listings)


@pytest.mark.parametrize("who", ["no role", "OPCC"])
def test_the_lists_and_forms_are_refused_to_accounts_that_are_not_officers(
    client, listings, accounts, who
):
    client.force_login(accounts[who])
    for url in [
        "/staff/priorities/",
        "/staff/priorities/new/",
        "/staff/surveys/",
        "/staff/surveys/new/",
        "/staff/abstractions/",
        "/staff/abstractions/new/",
        "/staff/patrols/",
        "/staff/patrols/new/",
        "/staff/patrols/hotspots/",
        "/staff/patrols/hotspots/new/",
    ]:
        assert client.get(url).status_code == 403, url
    for url, data in [*adding(listings), *patrol_adding(listings)]:
        assert client.post(url, data).status_code == 403, url
    nothing_changed(listings)


def adding(listings) -> list[tuple[str, dict]]:
    area = listings["area"].pk
    return [
        ("/staff/priorities/new/", {"neighbourhood": area, "issue": "Mine now"}),
        ("/staff/surveys/new/", {"neighbourhood": area, "question": "Mine now"}),
    ]


def patrol_adding(listings) -> list[tuple[str, dict]]:
    area = listings["area"].pk
    return [
        ("/staff/patrols/new/", {"hotspot": listings["hotspot"].pk}),
        ("/staff/patrols/hotspots/new/", {"neighbourhood": area, "name": "Mine now"}),
    ]


def test_an_officer_cannot_add_to_another_neighbourhood(client, listings, accounts):
    client.force_login(accounts["officer of another neighbourhood"])
    for url, data in adding(listings):
        response = client.post(url, data)
        assert "Choose one of the neighbourhoods you look after" in response.content.decode(), url
    nothing_changed(listings)


def test_an_officer_cannot_log_a_patrol_of_another_divisions_hotspot(client, listings, accounts):
    client.force_login(accounts["officer of another neighbourhood"])
    url, data = patrol_adding(listings)[0]
    response = client.post(url, data)
    assert "Choose one of the hotspots listed" in response.content.decode()
    assert client.post(*patrol_adding(listings)[1]).status_code == 403
    nothing_changed(listings)


def test_the_abstractions_report_is_refused_to_an_account_without_a_role(client, accounts):
    client.force_login(accounts["no role"])

    assert client.get("/staff/abstractions/report/").status_code == 403
    assert client.get("/staff/abstractions/report/csv/").status_code == 403


def test_a_visitor_is_sent_to_sign_in_from_every_page(client, listings):
    every = [
        *pages(listings),
        ("get", "/staff/priorities/", {}),
        ("get", "/staff/surveys/", {}),
        ("get", "/staff/abstractions/", {}),
        ("get", "/staff/abstractions/new/", {}),
        ("post", "/staff/abstractions/new/", {"reason": "court"}),
        *(("post", url, data) for url, data in [*adding(listings), *patrol_adding(listings)]),
        ("get", "/staff/abstractions/report/", {}),
        ("get", "/staff/abstractions/report/csv/", {}),
    ]
    for method, url, data in every:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url, response.status_code)
        assert response["Location"].startswith("/staff/sign-in/"), (method, url)
    nothing_changed(listings)
