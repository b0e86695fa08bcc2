"""Residents support current priorities: once per confirmed email address, counted for the
officers and shown on the neighbourhood page; and the pages that take it."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from config.dates import LONDON
from engagement import answers, surveys
from engagement.models import Priority, PrioritySupport
from notifications.models import OutboxEmail
from tests.factories import PriorityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 10, 6, 10, 0, tzinfo=LONDON)
RESIDENT = "sam@example.com"


@pytest.fixture
def priority(area):
    return PriorityFactory(neighbourhood=area, issue="Speeding on Osmaston Road")


def support(priority, email=RESIDENT):
    return answers.priority_support_submit(priority=priority, email=email)


def confirmed(priority, email=RESIDENT):
    row, token = support(priority, email)
    assert answers.priority_support_confirm(token=token).outcome == answers.CONFIRMED
    return row


def link_in_last_email() -> str:
    body = OutboxEmail.objects.order_by("-pk")[0].body_text
    return re.search(r"/have-your-say/priorities/confirm/[\w-]+/", body).group(0)


def supporters(priority: Priority) -> int:
    return priority.supports.filter(confirmed_at__isnull=False).count()


# --- Services ---------------------------------------------------------------------------------


def test_support_counts_once_confirmed(priority):
    row, token = support(priority)
    assert supporters(priority) == 0

    answers.priority_support_confirm(token=token)

    assert supporters(priority) == 1
    assert row.email_hash == answers.email_hash(RESIDENT)


def test_support_from_the_same_address_counts_once(priority):
    confirmed(priority)
    _row, token = support(priority, email=" SAM@example.com")

    result = answers.priority_support_confirm(token=token)

    assert result.outcome == answers.ALREADY_ANSWERED
    assert supporters(priority) == 1


def test_resolved_priority_takes_no_support(area):
    resolved = PriorityFactory(neighbourhood=area, status=Priority.Status.RESOLVED)

    with pytest.raises(ValidationError):
        support(resolved)


def test_support_for_a_priority_resolved_before_confirming_is_not_counted(priority):
    _row, token = support(priority)
    Priority.objects.filter(pk=priority.pk).update(status=Priority.Status.RESOLVED)

    assert answers.priority_support_confirm(token=token).outcome == answers.PRIORITY_RESOLVED
    assert not PrioritySupport.objects.filter(confirmed_at__isnull=False).exists()


def test_expired_support_link_does_not_count(priority):
    _row, token = support(priority)

    result = answers.priority_support_confirm(token=token, now=NOW + datetime.timedelta(days=8))

    assert result.outcome == answers.EXPIRED


def test_supported_priorities_lists_the_most_supported_first(area, priority):
    other = PriorityFactory(neighbourhood=area, issue="Litter")
    PriorityFactory(neighbourhood=area, issue="Nobody supports this")
    confirmed(priority, "a@example.com")
    for n in range(2):
        confirmed(other, f"b{n}@example.com")
    support(priority, "unconfirmed@example.com")

    rows = list(surveys.supported_priorities(neighbourhood_ids=[area.pk]))

    assert [(p.issue, p.supporters) for p in rows] == [("Litter", 2), (priority.issue, 1)]


def test_old_unconfirmed_supports_are_deleted(priority):
    support(priority, "old@example.com")
    kept = confirmed(priority, "kept@example.com")

    answers.unconfirmed_answers_delete(now=NOW + datetime.timedelta(days=8))

    assert list(PrioritySupport.objects.values_list("pk", flat=True)) == [kept.pk]


# --- Pages ------------------------------------------------------------------------------------


def test_support_form_sends_a_link_and_says_check_your_email(client, priority):
    response = client.post(f"/have-your-say/priorities/{priority.pk}/support/", {"email": RESIDENT})

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Check your email" in page
    assert "Speeding on Osmaston Road" in page
    assert PrioritySupport.objects.get().confirmed_at is None


def test_support_form_with_a_bad_address_shows_the_error(client, priority):
    response = client.post(f"/have-your-say/priorities/{priority.pk}/support/", {"email": "x"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter an email address in the correct format" in page


def test_support_link_confirms_only_when_the_button_is_pressed(client, priority):
    client.post(f"/have-your-say/priorities/{priority.pk}/support/", {"email": RESIDENT})
    link = link_in_last_email()

    page = client.get(link).content.decode()
    assert "Confirm my support" in page
    assert PrioritySupport.objects.get().confirmed_at is None

    page = client.post(link).content.decode()
    assert "Your support is counted" in page
    assert PrioritySupport.objects.get().confirmed_at is not None


def test_unknown_support_link_is_a_clear_404(client):
    response = client.get("/have-your-say/priorities/confirm/not-a-token/")

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_support_for_an_unknown_priority_is_a_404(client):
    assert client.get("/have-your-say/priorities/999999/support/").status_code == 404


def test_support_for_a_resolved_priority_says_so(client, area):
    resolved = PriorityFactory(neighbourhood=area, status=Priority.Status.RESOLVED)

    response = client.post(f"/have-your-say/priorities/{resolved.pk}/support/", {"email": RESIDENT})

    assert "has resolved this priority" in response.content.decode()
    assert not PrioritySupport.objects.exists()


def test_neighbourhood_page_shows_support_link_and_count(client, area, priority):
    for n in range(3):
        confirmed(priority, f"r{n}@example.com")

    page = client.get(area.get_absolute_url()).content.decode()

    assert f"/have-your-say/priorities/{priority.pk}/support/" in page
    assert "3 residents support this" in page


def test_confirmed_support_shows_on_the_cached_neighbourhood_page(client, area, priority):
    client.get(area.get_absolute_url())  # now cached
    confirmed(priority)

    page = client.get(area.get_absolute_url()).content.decode()

    assert "1 resident supports this" in page
