"""Whoever holds a new query is emailed when it arrives (the named officer, or the team and
sergeant when it is routed to them), through the outbox, with what identifies the query and
none of the resident's words or contact details; and it shows on their staff home."""

import datetime

import pytest
import time_machine
from celery.signals import before_task_publish
from django.urls import reverse

from config.roles import Role
from notifications.models import OutboxEmail
from notifications.sending import outbox_email_send
from queries.models import Query
from tests.html import links
from tests.queries.factories import neighbourhood_with_team

pytestmark = pytest.mark.django_db

# 14:45 in London (British Summer Time): due 72 hours later, Friday 13 June 2025 at 2:45pm.
SUMMER_AFTERNOON = datetime.datetime(2025, 6, 10, 13, 45, tzinfo=datetime.UTC)
MESSAGE = "Young people gather by the shops on Elm Road at night and shout."
RESIDENT = {
    "name": "Sam Resident",
    "email": "sam.resident@example.com",
    "phone": "01632 960001",
}


@pytest.fixture
def team():
    neighbourhood, officers = neighbourhood_with_team(name="Normanton", slug="normanton")
    for role, officer in officers.items():
        officer.email = f"{role}@example.police.uk"
        officer.save(update_fields=["email"])
    # Serving since well before the query is sent.
    neighbourhood.assignments.update(start_date=datetime.date(2025, 1, 1))
    return neighbourhood, officers


def send(client, neighbourhood):
    with time_machine.travel(SUMMER_AFTERNOON, tick=False):
        response = client.post(
            reverse("queries:contact", kwargs={"slug": neighbourhood.slug}),
            {
                "topic": "asb",
                "message": MESSAGE,
                **RESIDENT,
                "contact_preference": "email",
                "consent": "on",
                "website": "",
            },
        )
    assert response.status_code == 302
    return Query.objects.get()


def notice_of(query: Query) -> OutboxEmail:
    """The email about `query` that is not to the resident."""
    return OutboxEmail.objects.exclude(to=[RESIDENT["email"]]).get(query_link__query=query)


def assert_nothing_of_the_resident(*texts: str) -> None:
    for text in texts:
        assert "Elm Road" not in text
        assert "gather by the shops" not in text
        for detail in RESIDENT.values():
            assert detail not in text
        assert "960001" not in text


def test_named_officer_is_emailed_when_a_query_arrives(client, team, settings, smtp_server):
    neighbourhood, _ = team

    query = send(client, neighbourhood)

    notice = notice_of(query)
    assert notice.to == ["named@example.police.uk"]
    assert notice.status == OutboxEmail.Status.PENDING
    assert query.reference in notice.subject
    staff_url = f"{settings.SITE_URL}/staff/queries/{query.reference}/"
    for body in (notice.body_text, notice.body_html):
        assert query.reference in body
        assert "Anti-social behaviour" in body
        assert "Normanton" in body
        assert "Friday 13 June 2025 at 2:45pm" in body
        assert staff_url in body
    assert_nothing_of_the_resident(notice.subject, notice.body_text, notice.body_html)

    # Sent through the outbox to a real SMTP server.
    assert outbox_email_send(email_id=notice.pk) is True
    [mail] = smtp_server.messages
    assert mail["X-Envelope-To"] == "named@example.police.uk"
    assert query.reference in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert staff_url in body
    assert_nothing_of_the_resident(mail.as_string())


def test_with_the_named_officer_away_the_team_and_sergeant_are_emailed(client, team):
    neighbourhood, officers = team
    officers["named"].away_until = SUMMER_AFTERNOON.date() + datetime.timedelta(days=2)
    officers["named"].save(update_fields=["away_until"])

    query = send(client, neighbourhood)

    assert query.assigned_officer is None
    notice = notice_of(query)
    assert sorted(notice.to) == ["sergeant@example.police.uk", "team@example.police.uk"]
    assert "the named officer is away" in notice.body_text
    assert_nothing_of_the_resident(notice.subject, notice.body_text, notice.body_html)


def test_without_a_named_officer_the_team_and_sergeant_are_emailed(client, team):
    neighbourhood, officers = team
    neighbourhood.assignments.filter(officer=officers["named"]).update(
        end_date=SUMMER_AFTERNOON.date() - datetime.timedelta(days=1)
    )

    query = send(client, neighbourhood)

    notice = notice_of(query)
    assert sorted(notice.to) == ["sergeant@example.police.uk", "team@example.police.uk"]
    assert "the neighbourhood has no named officer" in notice.body_text


def test_resident_and_holder_emails_reach_the_broker_in_one_call(
    client, team, django_capture_on_commit_callbacks
):
    """The request waits on the broker once, as it did before the holder was told."""
    neighbourhood, _ = team
    published = []

    def count(sender=None, body=None, **kwargs):
        published.append((sender, body))

    before_task_publish.connect(count)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            query = send(client, neighbourhood)
    finally:
        before_task_publish.disconnect(count)

    ids = set(OutboxEmail.objects.filter(query_link__query=query).values_list("pk", flat=True))
    assert len(ids) == 2
    [(task, body)] = published
    assert task == "notifications.tasks.send_outbox_emails"
    assert set(body[0][0]) == ids


def test_new_query_shows_on_the_holders_staff_home(client, team, make_account):
    neighbourhood, officers = team
    officers["named"].user = make_account(Role.OFFICER, username="named")
    officers["named"].save(update_fields=["user"])
    query = send(client, neighbourhood)
    client.force_login(officers["named"].user)

    with time_machine.travel(SUMMER_AFTERNOON + datetime.timedelta(minutes=5), tick=False):
        page = client.get("/staff/").content.decode()
        listed = client.get("/staff/queries/?show=new&whose=team").content.decode()

    assert ("1 new", "/staff/queries/?show=new&whose=team") in links(page)
    assert query.reference in listed
