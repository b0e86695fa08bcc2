"""The Guarantee panel on four neighbourhoods whose answers are known by hand:

| | named officer now | priority updated | beat meeting held (90 days) | one scheduled |
|---|---|---|---|---|
| Allestree | yes | 10 days ago | 30 days ago, outcome recorded | in 14 days |
| Belper | ended yesterday | 100 days ago | 30 days ago, no outcome | none |
| Chaddesden | team member only | 89 days ago | cancelled; a street briefing | in 7 days |
| Darley | yes | today | online, 91 days ago | cancelled; a community event |

Shares of 4: named officer 2 (Allestree, Darley); priorities 3 (all but Belper); held 2
(Allestree, Belper); scheduled 2 (Allestree, Chaddesden); held and scheduled 1 (Allestree).
Meetings without an outcome: Belper's (more than 7 days ago, within 90): 1. Matlock, in
another division, has a named officer and a meeting without an outcome of its own."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from dashboards.selectors.sla import guarantee_panel
from engagement.models import Priority
from meetings.models import Event, Outcome
from neighbourhoods.models import Neighbourhood
from officers.models import Abstraction, Assignment
from officers.scopes import Scope
from tests.factories import (
    AssignmentFactory,
    DivisionFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NAMED = Assignment.Role.NAMED_OFFICER


def priority_updated(area, when) -> Priority:
    priority = PriorityFactory(neighbourhood=area)
    Priority.objects.filter(pk=priority.pk).update(updated_at=when)
    return priority


def meeting(area, *, starts, event_type=Event.Type.BEAT_MEETING, status=Event.Status.SCHEDULED):
    return EventFactory(
        neighbourhood=area,
        event_type=event_type,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        status=status,
    )


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def four(now):
    today = timezone.localdate()
    division = DivisionFactory(name="Derby North")
    areas = {
        name: NeighbourhoodFactory(name=name, slug=name.lower(), division=division)
        for name in ["Allestree", "Belper", "Chaddesden", "Darley"]
    }
    matlock = NeighbourhoodFactory(name="Matlock", slug="matlock")
    allestree, belper, chaddesden, darley = areas.values()

    AssignmentFactory(neighbourhood=allestree, role=NAMED)
    AssignmentFactory(
        neighbourhood=belper, role=NAMED, start_date=today - 200 * DAY, end_date=today - DAY
    )
    AssignmentFactory(neighbourhood=chaddesden, role=Assignment.Role.TEAM_MEMBER)
    AssignmentFactory(neighbourhood=darley, role=NAMED)
    AssignmentFactory(neighbourhood=matlock, role=NAMED)

    priority_updated(allestree, now - 10 * DAY)
    priority_updated(belper, now - 100 * DAY)
    priority_updated(chaddesden, now - 89 * DAY)
    priority_updated(darley, now)

    held = meeting(allestree, starts=now - 30 * DAY, status=Event.Status.HELD)
    Outcome.objects.create(event=held, attendance=14, summary="Parking near the school.")
    meeting(allestree, starts=now + 14 * DAY)
    meeting(belper, starts=now - 30 * DAY)  # held, never marked so, no outcome
    meeting(chaddesden, starts=now - 20 * DAY, status=Event.Status.CANCELLED)
    meeting(chaddesden, starts=now - 10 * DAY, event_type=Event.Type.STREET_BRIEFING)
    meeting(chaddesden, starts=now + 7 * DAY)
    meeting(darley, starts=now - 91 * DAY, event_type=Event.Type.ONLINE_MEETING)
    meeting(darley, starts=now + 10 * DAY, status=Event.Status.CANCELLED)
    meeting(darley, starts=now + 3 * DAY, event_type=Event.Type.COMMUNITY_EVENT)
    meeting(matlock, starts=now - 20 * DAY)
    return Scope(
        key=f"division:{division.slug}",
        label="Division: Derby North",
        neighbourhood_ids=frozenset(area.pk for area in areas.values()),
    )


def test_counts_the_scopes_neighbourhoods(four, now):
    assert guarantee_panel(scope=four, now=now).neighbourhoods == 4


def test_share_with_a_current_named_officer(four, now):
    figures = guarantee_panel(scope=four, now=now)
    assert (figures.with_named_officer, figures.share_with_named_officer) == (2, 0.5)


def test_share_with_a_priority_updated_in_the_last_90_days(four, now):
    figures = guarantee_panel(scope=four, now=now)
    assert (figures.priorities_recent, figures.share_priorities_recent) == (3, 0.75)


def test_share_with_a_beat_meeting_held_in_the_last_90_days(four, now):
    figures = guarantee_panel(scope=four, now=now)
    assert (figures.meeting_held_recent, figures.share_meeting_held_recent) == (2, 0.5)


def test_share_with_a_beat_meeting_scheduled(four, now):
    figures = guarantee_panel(scope=four, now=now)
    assert (figures.meeting_scheduled, figures.share_meeting_scheduled) == (2, 0.5)


def test_share_with_a_meeting_held_and_one_scheduled(four, now):
    figures = guarantee_panel(scope=four, now=now)
    assert (figures.held_and_scheduled, figures.share_held_and_scheduled) == (1, 0.25)


def test_counts_meetings_without_an_outcome_in_the_scope(four, now):
    assert guarantee_panel(scope=four, now=now).meetings_without_outcome == 1


def test_force_scope_counts_every_neighbourhood(four, now):
    # Matlock too: 5 neighbourhoods, 3 with a named officer, 2 meetings without an outcome.
    force = Scope(key="force", label="Force", neighbourhood_ids=None)
    figures = guarantee_panel(scope=force, now=now)
    assert (figures.neighbourhoods, figures.with_named_officer) == (5, 3)
    assert figures.meetings_without_outcome == 2


def test_officer_scope_counts_the_neighbourhoods_they_serve(four, now):
    # Serving Allestree and Chaddesden: 1 of 2 with a named officer, both scheduled.
    officer = OfficerFactory()
    serving = frozenset(
        Neighbourhood.objects.filter(slug__in=["allestree", "chaddesden"]).values_list(
            "pk", flat=True
        )
    )
    scope = Scope(
        key=f"officer:{officer.pk}",
        label="Officer",
        neighbourhood_ids=serving,
        officer_id=officer.pk,
    )
    figures = guarantee_panel(scope=scope, now=now)
    assert (figures.neighbourhoods, figures.with_named_officer, figures.meeting_scheduled) == (
        2,
        1,
        2,
    )


def test_named_officer_is_counted_on_the_london_day_of_the_moment_asked():
    # 1 July 2026 00:30 BST is still 30 June in UTC. Allestree's named officer serves 1 to 31
    # July: counted. Belper's served until 30 June: not counted. (Neither serves on the day
    # the test runs: the panel counts for the moment it is asked about.)
    moment = datetime.datetime(2026, 7, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    allestree, belper = NeighbourhoodFactory(name="Allestree"), NeighbourhoodFactory(name="Belper")
    AssignmentFactory(
        neighbourhood=allestree,
        role=NAMED,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 7, 31),
    )
    AssignmentFactory(
        neighbourhood=belper,
        role=NAMED,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    counted = [
        guarantee_panel(
            scope=Scope(key=area.slug, label=area.name, neighbourhood_ids=frozenset({area.pk})),
            now=moment,
        ).with_named_officer
        for area in (allestree, belper)
    ]
    assert counted == [1, 0]


def test_meetings_without_an_outcome_are_counted_at_the_moment_asked():
    # Asked about 1 March 2026 midday: a beat meeting that ended 10 February 7pm, 19 days
    # before, with no outcome is overdue (more than 7 days) and within the 90 days: 1.
    moment = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    meeting(NeighbourhoodFactory(), starts=datetime.datetime(2026, 2, 10, 18, tzinfo=datetime.UTC))
    scope = Scope(key="force", label="Force", neighbourhood_ids=None)
    assert guarantee_panel(scope=scope, now=moment).meetings_without_outcome == 1


def test_no_neighbourhoods_give_no_shares(now):
    scope = Scope(key="officer:1", label="Officer", neighbourhood_ids=frozenset(), officer_id=1)
    figures = guarantee_panel(scope=scope, now=now)
    assert (figures.neighbourhoods, figures.share_with_named_officer) == (0, None)


def test_priority_updated_exactly_90_days_ago_is_recent(now):
    area = NeighbourhoodFactory()
    priority_updated(area, now - 90 * DAY)
    scope = Scope(key="force", label="Force", neighbourhood_ids=None)
    assert guarantee_panel(scope=scope, now=now).priorities_recent == 1


@pytest.mark.parametrize("extra", [0, 40])
def test_panel_takes_two_statements_whatever_the_number_of_neighbourhoods(
    four, now, extra, django_assert_num_queries
):
    for _ in range(extra):
        area = NeighbourhoodFactory()
        AssignmentFactory(neighbourhood=area, role=NAMED)
        meeting(area, starts=now - 20 * DAY)
    force = Scope(key="force", label="Force", neighbourhood_ids=None)
    with django_assert_num_queries(2):
        figures = guarantee_panel(scope=force, now=now)
    assert figures.neighbourhoods == 5 + extra


# --- Abstractions ---------------------------------------------------------------------------


def test_abstractions_in_the_last_28_days_are_counted_for_the_scope(four, now):
    hour = datetime.timedelta(hours=1)
    named = Assignment.objects.current().filter(
        role=NAMED, neighbourhood__in=four.neighbourhood_ids
    )
    first, second = [assignment.officer for assignment in named[:2]]
    Abstraction.objects.create(
        officer=first, reason="court", starts_at=now - 3 * DAY, ends_at=now - 3 * DAY + 8 * hour
    )
    Abstraction.objects.create(
        officer=second, reason="training", starts_at=now - 2 * hour, ends_at=None
    )
    # Older than 28 days: not counted.
    Abstraction.objects.create(
        officer=first, reason="training", starts_at=now - 40 * DAY, ends_at=now - 39 * DAY
    )

    figures = guarantee_panel(scope=four, now=now).abstractions

    assert (figures.hours, figures.officers, figures.top_reason) == (10.0, 2, "Court")


def test_no_abstractions_says_so(four, now):
    assert str(guarantee_panel(scope=four, now=now).abstractions) == (
        "No abstractions in the last 28 days"
    )
