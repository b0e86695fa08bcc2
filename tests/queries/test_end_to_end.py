"""The guarantee end to end, through every real part: a resident sends a query in Chromium, a
real Celery worker on the Redis broker sends every email to a real SMTP server, the SLA sweep
climbs the ladder as time moves on, an officer answers in Chromium and the clock stops."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from config.roles import Role
from queries.models import Query
from queries.tasks import run_sla_sweep
from tests.factories import PASSWORD
from tests.fixtures.browser import assert_accessible
from tests.fixtures.celery_worker import wait_until_worker_idle
from tests.fixtures.mail import wait_for_mail
from tests.queries.factories import neighbourhood_with_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = "sam@example.com"


def mail_to(smtp_server, address: str) -> list:
    return [m for m in smtp_server.messages if address in m["X-Envelope-To"]]


@pytest.fixture
def team(make_account, settings):
    settings.OPCC_CONTACT_EMAIL = "opcc@example.police.uk"
    neighbourhood, officers = neighbourhood_with_team(name="Normanton", slug="normanton")
    for role, officer in officers.items():
        officer.email = f"{role}@example.police.uk"
        officer.save(update_fields=["email"])
    named = officers["named"]
    named.user = make_account(Role.OFFICER, username="named")
    named.save(update_fields=["user"])
    return neighbourhood, officers


def test_query_is_escalated_once_per_step_and_answered(page, team, celery_worker, smtp_server):
    neighbourhood, officers = team

    # The resident sends a query from the neighbourhood page.
    page.goto(neighbourhood.get_absolute_url())
    page.get_by_role("button", name="Contact your neighbourhood team").click()
    page.get_by_label("Road safety").check()
    page.get_by_label("Your message").fill("Cars race along Fox Lane after midnight.")
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Email address").fill(RESIDENT)
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("I agree that my details are used to answer my query").check()
    page.get_by_role("button", name="Send your query").click()
    expect(page.get_by_role("heading", name="Query sent")).to_be_visible()
    query = Query.objects.get()

    # The confirmation arrives through the worker, with the private tracking link; the named
    # officer is told of the query as it arrives.
    wait_for_mail(smtp_server, 2)
    confirmation = mail_to(smtp_server, RESIDENT)[0]
    body = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert query.reference in body
    assert re.search(r"/queries/track/[\w-]{40,}/", body)
    assert RESIDENT not in re.findall(r"https?://\S+", body)[0]
    [notice] = mail_to(smtp_server, "named@example.police.uk")
    assert notice["Subject"].startswith(f"New query {query.reference}")

    # Time moves on; the sweep runs as beat runs it: a task on the real worker.
    expected = [
        (48, "named@example.police.uk", 3, 2),
        (72, "sergeant@example.police.uk", 4, 1),
        (96, "inspector@example.police.uk", 5, 1),
    ]
    for hours, recipient, total, received in expected:
        at = query.submitted_at + datetime.timedelta(hours=hours, minutes=1)
        with time_machine.travel(at, tick=True):
            run_sla_sweep.delay()
            run_sla_sweep.delay()  # overlapping sweeps change nothing
            wait_for_mail(smtp_server, total)
            wait_until_worker_idle()
        assert len(smtp_server.messages) == total
        assert len(mail_to(smtp_server, recipient)) == received
    assert len(mail_to(smtp_server, "opcc@example.police.uk")) == 1
    assert (
        mail_to(smtp_server, "opcc@example.police.uk")[0]
        is mail_to(smtp_server, "inspector@example.police.uk")[0]
    )
    for message in smtp_server.messages:
        if RESIDENT not in message["X-Envelope-To"]:
            assert "Sam Resident" not in message.get_body(preferencelist=("plain",)).get_content()

    # The named officer answers in the staff area; the resident receives it; the clock stops.
    at = query.submitted_at + datetime.timedelta(hours=97)
    with time_machine.travel(at, tick=True):
        page.goto("/staff/sign-in/")
        page.get_by_label("Username").fill("named")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(query.get_absolute_url())
        assert_accessible(page)
        page.get_by_label("Your reply to the resident").fill("We will patrol Fox Lane at night.")
        page.get_by_role("button", name="Send reply").click()
        wait_for_mail(smtp_server, 6)

    reply = mail_to(smtp_server, RESIDENT)[-1]
    assert (
        "We will patrol Fox Lane at night."
        in reply.get_body(preferencelist=("plain",)).get_content()
    )
    query.refresh_from_db()
    assert query.status == Query.Status.ANSWERED
    assert query.next_escalation_at is None
    assert query.first_response_met_target is False
    assert query.first_response_officer == officers["named"]
    assert query.escalation_steps.count() == 3

    # Later sweeps send nothing more.
    with time_machine.travel(query.submitted_at + datetime.timedelta(days=10), tick=True):
        call_command("sla_sweep")
    wait_until_worker_idle()
    assert len(smtp_server.messages) == 6
