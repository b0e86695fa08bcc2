"""The demo data has queries in every state, the inbox shows them, and the sweep sends their
due emails once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import OutboxEmail
from queries.models import Query, ResponseClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_has_queries_in_every_state_of_the_clock(demo):
    now = timezone.now()
    open_queries = Query.objects.filter(status=Query.Status.OPEN)

    assert open_queries.filter(due_at__gt=now + timezone.timedelta(hours=24)).exists()  # new
    assert open_queries.filter(
        due_at__gt=now, due_at__lte=now + timezone.timedelta(hours=24)
    ).exists()
    assert open_queries.filter(due_at__lt=now).exists()  # breached
    assert Query.objects.filter(
        status=Query.Status.ANSWERED, first_response_met_target=True
    ).exists()
    assert Query.objects.filter(first_response_met_target=False).exists()
    assert Query.objects.filter(status=Query.Status.CLOSED).exists()
    assert Query.objects.filter(clock=2, status=Query.Status.OPEN).exists()  # follow-up


def test_demo_officer_sees_the_demo_queries_in_the_inbox(client, demo):
    client.post("/staff/sign-in/", {"username": "officer", "password": "neighbourhood"})

    page = client.get("/staff/queries/").content.decode()

    live = Query.objects.filter(neighbourhood__code="DC01").exclude(status="closed")
    for query in live.exclude(reference__startswith="DY-H"):  # not the months of history
        assert query.reference in page


def test_demo_has_months_of_answered_queries_for_the_dashboards(demo):
    history = ResponseClock.objects.filter(query__reference__startswith="DY-H")
    assert history.count() == 360
    assert history.filter(met_target=False).exists()
    assert history.filter(met_target=True).count() > history.count() / 2
    assert not history.filter(answered_at__isnull=True).exists()


def test_sla_sweep_on_the_demo_data_sends_due_emails_once(demo):
    out = io.StringIO()
    call_command("sla_sweep", stdout=out)
    sent = OutboxEmail.objects.count()

    call_command("sla_sweep", stdout=io.StringIO())

    assert sent > 0
    assert OutboxEmail.objects.count() == sent
    assert "escalation steps taken" in out.getvalue()


def test_demo_answers_are_asked_about_and_some_residents_said(demo):
    answered = ResponseClock.objects.filter(answered_at__isnull=False)
    rated = answered.filter(feedback__isnull=False)

    assert not answered.filter(answer__isnull=True).exists()
    assert 0 < rated.count() < answered.count()
    assert set(rated.values_list("feedback__rating", flat=True)) == {"yes", "partly", "no"}
