"""A resident who lost their tracking link gets a new one with the reference and the email
address they gave: the old link stops working, the answer is the same whether or not they
match, and requests are rate-limited. The emails and the unknown-link page lead there."""

import datetime
import re
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from config.roles import Role
from notifications.models import OutboxEmail
from queries.models import Query
from queries.services.resident import query_submit
from queries.services.staff import query_reply
from tests.factories import AssignmentFactory
from tests.html import element, hrefs

pytestmark = pytest.mark.django_db

NEW_LINK = "/queries/new-link/"
# 14:45 in London (British Summer Time).
SUMMER_AFTERNOON = datetime.datetime(2025, 6, 10, 13, 45, tzinfo=datetime.UTC)
TRACK = re.compile(r"/queries/track/([\w-]+)/")


@pytest.fixture
def sent():
    """A query sent by sam@example.com, with its tracking token."""
    neighbourhood = AssignmentFactory(neighbourhood__name="Derby City Centre").neighbourhood
    return query_submit(
        neighbourhood=neighbourhood,
        topic="road_safety",
        message="Cars race down Fox Lane at night.",
        name="Sam Resident",
        email="Sam@Example.com",
        phone="",
        contact_preference="email",
    )


def ask(client, reference: str, email: str, ip: str = "192.0.2.1", **extra):
    data = {"reference": reference, "email": email, "website": "", **extra}
    return client.post(NEW_LINK, data, REMOTE_ADDR=ip)


def without_csrf(page: str) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def new_link_emails() -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(subject__startswith="A new link to your query"))


def test_page_asks_for_the_reference_and_email_address(client):
    response = client.get(NEW_LINK)

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("queries:new_link") == NEW_LINK
    assert element(page, "label", class_="govuk-label", for_="id_reference")
    assert "Your query reference" in page
    assert element(page, "input", type="email", name="email")
    assert element(page, "input", name="website")  # the honeypot
    assert "csrfmiddlewaretoken" in page
    assert element(page, "form", method="post", action="/queries/new-link/")


def test_matching_reference_and_email_send_a_new_link_and_the_old_one_stops(client, sent):
    query, old_token = sent

    response = ask(client, f"  {query.reference.lower()} ", " sam@EXAMPLE.com ")

    assert response.status_code == 302
    assert response["Location"] == reverse("queries:new_link_sent")
    [email] = new_link_emails()
    assert email.to == ["Sam@Example.com"]
    assert email.redact_after_send
    assert email.query_link.query == query
    new_token = TRACK.search(email.body_text).group(1)
    assert TRACK.search(email.body_html).group(1) == new_token
    assert new_token != old_token
    old = client.get(reverse("queries:track", kwargs={"token": old_token}))
    assert old.status_code == 404
    assert "Get a new link to your query" in old.content.decode()
    new = client.get(reverse("queries:track", kwargs={"token": new_token}))
    assert new.status_code == 200
    assert query.reference in new.content.decode()


@pytest.mark.parametrize(
    ("reference", "email"),
    [
        (None, "someone.else@example.com"),  # right reference, wrong address
        ("DY-AAAA-AAA", "sam@example.com"),  # no such query
    ],
)
def test_no_match_gets_the_same_answer_and_changes_nothing(client, sent, reference, email):
    query, _ = sent
    matched = ask(Client(), query.reference, "sam@example.com")
    matched_page = without_csrf(Client().get(matched["Location"]).content.decode())
    OutboxEmail.objects.filter(subject__startswith="A new link").delete()
    query.refresh_from_db()
    token_hash = query.token_hash

    response = ask(client, reference or query.reference, email)

    assert response.status_code == 302
    assert response["Location"] == matched["Location"]
    assert without_csrf(client.get(response["Location"]).content.decode()) == matched_page
    assert "If the reference and email address you gave match a query" in matched_page
    query.refresh_from_db()
    assert query.token_hash == token_hash
    assert new_link_emails() == []


def test_anonymised_query_gets_no_link(client, sent):
    query, _ = sent
    Query.objects.filter(pk=query.pk).update(anonymised_at=SUMMER_AFTERNOON)

    ask(client, query.reference, "sam@example.com")

    assert new_link_emails() == []


def test_filled_honeypot_answers_the_same_and_sends_nothing(client, sent):
    query, _ = sent
    before = Query.objects.get(pk=query.pk).token_hash

    response = ask(client, query.reference, "sam@example.com", website="http://spam.example")

    assert response["Location"] == reverse("queries:new_link_sent")
    assert Query.objects.get(pk=query.pk).token_hash == before
    assert new_link_emails() == []


def test_missing_answers_are_listed_in_the_error_summary(client):
    response = client.post(NEW_LINK, {"reference": "", "email": "not-an-address"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assertInHTML('<a href="#id_reference">Enter your query reference</a>', page)
    assert "Enter an email address in the correct format" in page


def test_form_without_the_csrf_token_is_refused(sent):
    query, _ = sent
    client = Client(enforce_csrf_checks=True)

    response = client.post(NEW_LINK, {"reference": query.reference, "email": "sam@example.com"})

    assert response.status_code == 403
    assert new_link_emails() == []


@time_machine.travel(SUMMER_AFTERNOON, tick=False)
def test_rate_limit_per_ip_says_when_to_ask_again(client, sent, settings):
    query, _ = sent
    settings.QUERY_NEW_LINK_RATE_LIMIT_PER_IP = 2
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 3600
    for number in range(2):
        assert ask(client, "DY-AAAA-AAA", f"r{number}@example.com").status_code == 302

    response = ask(client, query.reference, "sam@example.com")

    page = response.content.decode()
    assert response.status_code == 429
    assert "You can ask for another link after 3:45pm" in page
    assert "govuk-error-summary" in page
    assert new_link_emails() == []


@time_machine.travel(SUMMER_AFTERNOON, tick=False)
def test_rate_limit_per_email_applies_from_any_address(client, sent, settings):
    query, _ = sent
    settings.QUERY_NEW_LINK_RATE_LIMIT_PER_EMAIL = 1
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 1800
    assert ask(client, query.reference, "sam@example.com", ip="192.0.2.1").status_code == 302

    response = ask(client, query.reference, "SAM@example.com", ip="198.51.100.7")

    assert response.status_code == 429
    assert "You can ask for another link after 3:15pm" in response.content.decode()
    assert len(new_link_emails()) == 1


def test_request_runs_a_fixed_number_of_sql_queries(client, sent, django_assert_max_num_queries):
    query, _ = sent

    with django_assert_max_num_queries(0):
        form = client.get(NEW_LINK)
    assert form.status_code == 200
    assert "Get a new link to your query" in form.content.decode()
    # Lock the query, save its new token, write and link the email, and the savepoints.
    with django_assert_max_num_queries(6):
        response = ask(client, query.reference, "sam@example.com")

    assert response.status_code == 302
    assert len(new_link_emails()) == 1


# --- The way there ------------------------------------------------------------------------------


def test_confirmation_email_offers_a_new_link(sent, settings):
    confirmation = OutboxEmail.objects.get(to=["Sam@Example.com"])

    assert f"{settings.SITE_URL}/queries/new-link/" in confirmation.body_text
    assert f"{settings.SITE_URL}/queries/new-link/" in hrefs(confirmation.body_html)


def test_reply_email_offers_a_new_link(sent, settings, make_account):
    query, _ = sent
    officer = query.assigned_officer
    officer.user = make_account(Role.OFFICER)
    officer.save(update_fields=["user"])

    query_reply(query=query, by=officer.user, message="We will patrol Fox Lane.")

    reply = OutboxEmail.objects.get(subject__icontains="reply", to=["Sam@Example.com"])
    assert f"{settings.SITE_URL}/queries/new-link/" in reply.body_text
    assert f"{settings.SITE_URL}/queries/new-link/" in hrefs(reply.body_html)


def test_unknown_tracking_link_offers_a_new_link(client):
    token = "x" * 43

    for response in (
        client.get(reverse("queries:track", kwargs={"token": token})),
        client.post(reverse("queries:track_reply", kwargs={"token": token}), {"message": "Hi"}),
        client.post(reverse("queries:track_escalate", kwargs={"token": token})),
    ):
        page = response.content.decode()
        assert response.status_code == 404
        assert "This link to a query does not work" in page
        assert "/queries/new-link/" in hrefs(page)
        assert "no-store" in response["Cache-Control"]


def test_a_match_and_a_miss_are_answered_after_the_same_time(client, sent, settings):
    """Writing the new link's email takes a few milliseconds a miss does not: both answers
    wait for the same moment, well after either is ready."""
    settings.STEADY_ANSWER_SECONDS = 0.2
    query, _ = sent
    durations = []
    for email in ["sam@example.com", "someone.else@example.com"]:
        started = time.monotonic()
        response = ask(client, query.reference, email)
        durations.append(time.monotonic() - started)
        assert response.status_code == 302

    assert min(durations) >= 0.2
    assert len(new_link_emails()) == 1
