"""Stale listings: which neighbourhoods' officers get the weekly email, and what it says."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from config.dates import LONDON
from meetings.models import Event, Outcome
from meetings.services.reminders import stale_listings_notify
from neighbourhoods.models import Neighbourhood
from notifications.models import OutboxEmail
from officers.models import Assignment, Officer
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    UserFactory,
)
from tests.html import hrefs

pytestmark = pytest.mark.django_db

# Monday 14 September 2026, 7:30am in London, when the weekly task runs.
NOW = datetime.datetime(2026, 9, 14, 7, 30, tzinfo=LONDON)
SINCE = datetime.date(2026, 1, 1)


def meeting(neighbourhood: Neighbourhood, starts_in: datetime.timedelta, **fields) -> Event:
    starts_at = NOW + starts_in
    return EventFactory(
        neighbourhood=neighbourhood,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
        **fields,
    )


def area_with_officer(name: str) -> tuple[Neighbourhood, Officer]:
    """A neighbourhood whose named officer's address says which neighbourhood it is."""
    neighbourhood = NeighbourhoodFactory(name=name)
    officer = OfficerFactory(email=f"{neighbourhood.slug}@example.police.uk")
    AssignmentFactory(neighbourhood=neighbourhood, officer=officer, start_date=SINCE)
    return neighbourhood, officer


def emails_to(officer: Officer) -> list[OutboxEmail]:
    return [email for email in OutboxEmail.objects.all() if officer.email in email.to]


def weeks(n: float) -> datetime.timedelta:
    return datetime.timedelta(weeks=n)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- Which neighbourhoods are stale -------------------------------------------------------------


def test_no_beat_meeting_in_the_next_six_weeks_is_stale():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(7))

    stale_listings_notify(now=NOW)

    [email] = emails_to(officer)
    assert email.subject == "Normanton: event listings need updating"
    assert "No beat meeting is listed in the next 6 weeks." in email.body_text


def test_beat_meeting_in_five_weeks_is_not_stale():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(5))

    stale_listings_notify(now=NOW)

    assert emails_to(officer) == []


def test_only_a_street_briefing_ahead_is_stale():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(2), event_type=Event.Type.STREET_BRIEFING)

    stale_listings_notify(now=NOW)

    assert len(emails_to(officer)) == 1


def test_cancelled_meeting_ahead_does_not_count_as_upcoming():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(2), status=Event.Status.CANCELLED)

    stale_listings_notify(now=NOW)

    [email] = emails_to(officer)
    assert "No beat meeting is listed" in email.body_text


def test_meeting_held_eight_days_ago_without_outcome_is_stale():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(2))
    held = meeting(neighbourhood, -days(8), title="August beat meeting", status=Event.Status.HELD)

    stale_listings_notify(now=NOW)

    [email] = emails_to(officer)
    body = email.body_text
    assert "No beat meeting is listed" not in body
    assert "1 meeting held more than 7 days ago still needs an outcome" in body
    assert "- August beat meeting, Sunday 6 September 2026 at 7:30am" in body
    outcome_url = settings.SITE_URL + reverse("meetings_staff:outcome", kwargs={"pk": held.pk})
    assert outcome_url in body
    assert outcome_url in hrefs(email.body_html)


def test_meeting_held_eight_days_ago_with_an_outcome_is_not_stale():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(2))
    held = meeting(neighbourhood, -days(8), status=Event.Status.HELD)
    Outcome.objects.create(event=held, attendance=12, summary="Parking and litter.")

    stale_listings_notify(now=NOW)

    assert emails_to(officer) == []


def test_meeting_held_five_days_ago_is_not_yet_overdue():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(2))
    meeting(neighbourhood, -days(5), status=Event.Status.HELD)

    stale_listings_notify(now=NOW)

    assert emails_to(officer) == []


def test_cancelled_past_meeting_needs_no_outcome():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(2))
    meeting(neighbourhood, -days(8), status=Event.Status.CANCELLED)

    stale_listings_notify(now=NOW)

    assert emails_to(officer) == []


def test_both_reasons_go_in_one_email_that_links_to_the_staff_list():
    neighbourhood, officer = area_with_officer("Normanton")
    meeting(neighbourhood, -days(9), title="First", status=Event.Status.HELD)
    meeting(neighbourhood, -days(40), title="Second", status=Event.Status.HELD)

    assert stale_listings_notify(now=NOW) == 1

    [email] = emails_to(officer)
    assert "No beat meeting is listed" in email.body_text
    assert "2 meetings held more than 7 days ago still need an outcome" in email.body_text
    assert email.body_text.index("- Second") < email.body_text.index("- First")
    assert settings.SITE_URL + reverse("meetings_staff:list") in email.body_text


# --- Who is told --------------------------------------------------------------------------------


def test_every_current_officer_of_the_neighbourhood_is_emailed_once():
    neighbourhood = NeighbourhoodFactory()
    roles = {
        Assignment.Role.NAMED_OFFICER: "named@example.police.uk",
        Assignment.Role.TEAM_MEMBER: "pcso@example.police.uk",
        Assignment.Role.SERGEANT: "sergeant@example.police.uk",
        Assignment.Role.INSPECTOR: "inspector@example.police.uk",
    }
    for role, email in roles.items():
        AssignmentFactory(
            neighbourhood=neighbourhood,
            role=role,
            officer=OfficerFactory(email=email),
            start_date=SINCE,
        )
    # No public address: the account's is used.
    AssignmentFactory(
        neighbourhood=neighbourhood,
        role=Assignment.Role.TEAM_MEMBER,
        officer=OfficerFactory(email="", user=UserFactory(email="account@example.police.uk")),
        start_date=SINCE,
    )
    # No address at all: left out.
    AssignmentFactory(
        neighbourhood=neighbourhood,
        role=Assignment.Role.TEAM_MEMBER,
        officer=OfficerFactory(email=""),
        start_date=SINCE,
    )
    # No longer in the team.
    AssignmentFactory(
        neighbourhood=neighbourhood,
        role=Assignment.Role.TEAM_MEMBER,
        officer=OfficerFactory(email="moved-on@example.police.uk"),
        start_date=SINCE,
        end_date=datetime.date(2026, 6, 30),
    )
    # Another neighbourhood's officer.
    AssignmentFactory(officer=OfficerFactory(email="elsewhere@example.police.uk"), start_date=SINCE)

    stale_listings_notify(now=NOW)

    emails = [e for e in OutboxEmail.objects.all() if "named@example.police.uk" in e.to]
    assert len(emails) == 1
    assert sorted(emails[0].to) == sorted([*roles.values(), "account@example.police.uk"])


def test_sergeant_of_several_stale_neighbourhoods_gets_one_email_for_each():
    sergeant = OfficerFactory(email="sergeant@example.police.uk")
    for name in ("Normanton", "Alvaston"):
        AssignmentFactory(
            neighbourhood=NeighbourhoodFactory(name=name),
            officer=sergeant,
            role=Assignment.Role.SERGEANT,
            start_date=SINCE,
        )

    assert stale_listings_notify(now=NOW) == 2

    assert sorted(e.subject for e in emails_to(sergeant)) == [
        "Alvaston: event listings need updating",
        "Normanton: event listings need updating",
    ]


def test_stale_neighbourhood_with_no_one_to_email_is_skipped():
    NeighbourhoodFactory()
    _, officer = area_with_officer("Normanton")

    assert stale_listings_notify(now=NOW) == 1

    assert len(emails_to(officer)) == 1


def test_nothing_stale_sends_nothing():
    neighbourhood, _ = area_with_officer("Normanton")
    meeting(neighbourhood, weeks(3))

    assert stale_listings_notify(now=NOW) == 0

    assert not OutboxEmail.objects.exists()


def test_stale_email_statements_do_not_grow_per_meeting_or_officer(
    django_assert_max_num_queries,
):
    for number in range(20):
        neighbourhood, _ = area_with_officer(f"Area {number}")
        AssignmentFactory(
            neighbourhood=neighbourhood, role=Assignment.Role.SERGEANT, start_date=SINCE
        )
        for age in (8, 15, 22):
            meeting(neighbourhood, -days(age), status=Event.Status.HELD)

    # Two reads for the listings, one for the officers, a savepoint and its release, and one
    # outbox row per neighbourhood.
    with django_assert_max_num_queries(5 + 20):
        assert stale_listings_notify(now=NOW) == 20
