"""Demo queries for `seed_demo`, one or more in every state of the response clock.

Written straight to the tables, each found by its reference so a second run changes nothing.
Escalation steps already due are left to the SLA sweep (`python manage.py sla_sweep`, or beat
under `make run`), which sends their emails once, to files under var/mail/."""

import datetime
import hashlib
import random

from django.utils import timezone

from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment
from queries import clock
from queries.models import (
    AnswerFeedback,
    ContactPreference,
    Query,
    QueryEvent,
    ResponseClock,
    Topic,
)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# (neighbourhood code, topic, hours since submitted, answered after hours or None, closed,
#  resident follow-up hours after the answer or None, message)
PLANS = [
    (
        "DC01",
        Topic.ANTI_SOCIAL_BEHAVIOUR,
        3,
        None,
        False,
        None,
        "Groups of teenagers have been gathering outside the shops on Green Lane every evening.",
    ),
    (
        "DC01",
        Topic.ROAD_SAFETY,
        30,
        None,
        False,
        None,
        "Cars speed along Osmaston Road near the school at pick-up time.",
    ),
    (
        "DC01",
        Topic.DRUGS,
        60,
        None,
        False,
        None,
        "I think drugs are being dealt from a car parked on Bridge Street most nights.",
    ),
    (
        "DC01",
        Topic.NEIGHBOUR_DISPUTE,
        80,
        None,
        False,
        None,
        "My neighbour's music is very loud after midnight several times a week.",
    ),
    (
        "DC01",
        Topic.CRIME_PREVENTION,
        100,
        None,
        False,
        None,
        "Can someone advise on securing bikes in our shared hallway?",
    ),
    (
        "DC01",
        Topic.OTHER,
        120,
        20,
        False,
        None,
        "Is there a beat meeting planned for the city centre this month?",
    ),
    (
        "DC01",
        Topic.ROAD_SAFETY,
        200,
        90,
        False,
        None,
        "Vans park on the pavement on Friar Gate and we cannot get past with a pram.",
    ),
    (
        "DC01",
        Topic.ANTI_SOCIAL_BEHAVIOUR,
        300,
        10,
        True,
        None,
        "Graffiti has appeared on the underpass by the bus station.",
    ),
    (
        "DC01",
        Topic.CRIME_PREVENTION,
        150,
        30,
        False,
        100,
        "Thank you for the advice. The shed was broken into again, what else can we do?",
    ),
    (
        "DC02",
        Topic.DRUGS,
        50,
        None,
        False,
        None,
        "Needles have been left in the park by the play area.",
    ),
    (
        "DC03",
        Topic.NEIGHBOUR_DISPUTE,
        90,
        None,
        False,
        None,
        "A fence dispute with my neighbour is getting heated.",
    ),
    (
        "CN02",
        Topic.ANTI_SOCIAL_BEHAVIOUR,
        10,
        None,
        False,
        None,
        "Off-road bikes are tearing up the recreation ground.",
    ),
]


def _reference(rng: random.Random) -> str:
    return "DY-{}-{}".format(
        "".join(rng.choice(ALPHABET) for _ in range(4)),
        "".join(rng.choice(ALPHABET) for _ in range(3)),
    )


def seed_queries(neighbourhoods: dict[str, Neighbourhood]) -> None:
    rng = random.Random(72)
    now = timezone.now()
    named = {
        a.neighbourhood_id: a.officer
        for a in Assignment.objects.current()
        .filter(role=Assignment.Role.NAMED_OFFICER)
        .select_related("officer__user")
    }
    for number, (code, topic, age, answered_after, closed, follow_up, message) in enumerate(
        PLANS, start=1
    ):
        reference = _reference(rng)
        if Query.objects.filter(reference=reference).exists():
            continue
        neighbourhood = neighbourhoods[code]
        officer = named.get(neighbourhood.pk)
        submitted = now - datetime.timedelta(hours=age)
        query = Query(
            reference=reference,
            token_hash=hashlib.sha256(f"demo-query-{number}".encode()).hexdigest(),
            neighbourhood=neighbourhood,
            topic=topic,
            message=message,
            name=f"Demo Resident {number}",
            email=f"resident{number}@example.org",
            contact_preference=ContactPreference.EMAIL,
            consented_at=submitted,
            submitted_at=submitted,
            assigned_officer=officer,
            routing_reason="Named officer"
            if officer
            else "No named officer: for the team and sergeant",
        )
        clock.start(query, submitted)
        query.save()
        clock.record_start(query)
        events = [
            QueryEvent(
                query=query, kind=QueryEvent.Kind.SUBMITTED, body=message, created_at=submitted
            ),
            QueryEvent(
                query=query,
                kind=QueryEvent.Kind.ROUTED,
                body=query.routing_reason,
                created_at=submitted,
            ),
        ]
        author = officer.user if officer else None
        reply = None
        if answered_after:
            answered_at = submitted + datetime.timedelta(hours=answered_after)
            reply = QueryEvent(
                query=query,
                kind=QueryEvent.Kind.REPLY,
                author=author,
                body="Thank you for getting in touch. We have added this to our patrol plan "
                "and will update you after the next beat meeting.",
                created_at=answered_at,
            )
            events.append(reply)
            clock.stop(query, answered_at, officer)
            clock.record_answer(query, answered_at)
            if follow_up:
                followed_at = answered_at + datetime.timedelta(hours=follow_up)
                events.append(
                    QueryEvent(
                        query=query,
                        kind=QueryEvent.Kind.RESIDENT_MESSAGE,
                        body="Thank you. It has happened again since, what else can we do?",
                        created_at=followed_at,
                    )
                )
                query.clock = 2
                clock.start(query, followed_at)
                clock.record_start(query)
            if closed:
                closed_at = answered_at + datetime.timedelta(hours=2)
                query.status = Query.Status.CLOSED
                query.closed_at = closed_at
                query.outcome = "Advice given and patrols increased; the resident is satisfied."
                clock.record_end(query, closed_at)
                events.append(
                    QueryEvent(
                        query=query,
                        kind=QueryEvent.Kind.CLOSED,
                        author=author,
                        body=query.outcome,
                        created_at=closed_at,
                    )
                )
        query.save()
        QueryEvent.objects.bulk_create(events)
        if reply is not None:
            # The answer its resident is asked about on the tracking page.
            ResponseClock.objects.filter(query=query, number=1).update(answer=reply)


HISTORY_DAYS = 180
HISTORY_PER_DAY = 2
HISTORY_MESSAGE = "An earlier demo query, kept for the dashboards."
HISTORY_REPLY = "Thank you: we have looked into this and added it to our patrol plan."


def _history_reference(number: int) -> str:
    """DY-H000-ABC style: the H marks history, so these never clash with live references."""
    rng = random.Random(number)
    return f"DY-H{number % 1000:03d}-" + "".join(rng.choice(ALPHABET) for _ in range(3))


def seed_query_history(neighbourhoods: dict[str, Neighbourhood]) -> int:
    """Six months of answered queries for the dashboards, from a fixed seed: most answered
    within the target, some late, a few with a follow-up. Written in bulk; skipped when the
    first one is already there. Returns how many were written."""
    if Query.objects.filter(reference=_history_reference(1)).exists():
        return 0
    rng = random.Random(2026)
    now = timezone.now()
    named = {
        a.neighbourhood_id: a.officer
        for a in Assignment.objects.current().filter(role=Assignment.Role.NAMED_OFFICER)
    }
    areas = list(neighbourhoods.values())
    topics = list(Topic.values)
    queries: list[Query] = []
    answers: list[tuple[Query, datetime.datetime]] = []
    for number in range(1, HISTORY_DAYS * HISTORY_PER_DAY + 1):
        # Some neighbourhoods answer later than others, so the league table has a shape.
        area = areas[number % len(areas)]
        submitted = now - datetime.timedelta(
            days=8 + (number - 1) // HISTORY_PER_DAY, hours=rng.randint(0, 20)
        )
        slow = area.code.startswith("CN") or area.code == "DC03"
        hours = rng.uniform(2, 110 if slow else 80)
        query = Query(
            reference=_history_reference(number),
            token_hash=hashlib.sha256(f"demo-history-{number}".encode()).hexdigest(),
            neighbourhood=area,
            topic=rng.choice(topics),
            message=HISTORY_MESSAGE,
            name=f"Demo Resident H{number}",
            email=f"history{number}@example.org",
            contact_preference=ContactPreference.EMAIL,
            consented_at=submitted,
            submitted_at=submitted,
            assigned_officer=named.get(area.pk),
            routing_reason="Named officer",
            resident_escalated_at=submitted + datetime.timedelta(hours=80)
            if hours > 80 and number % 3 == 0
            else None,
        )
        clock.start(query, submitted)
        answered_at = submitted + datetime.timedelta(hours=hours)
        clock.stop(query, answered_at, named.get(area.pk))
        queries.append(query)
        answers.append((query, answered_at))
    Query.objects.bulk_create(queries)
    clocks, events, replies = [], [], []
    for query, answered_at in answers:
        reply = QueryEvent(
            query=query, kind=QueryEvent.Kind.REPLY, body=HISTORY_REPLY, created_at=answered_at
        )
        replies.append(reply)
        clocks.append(
            ResponseClock(
                query=query,
                number=1,
                neighbourhood_id=query.neighbourhood_id,
                topic=query.topic,
                started_at=query.clock_started_at,
                due_at=query.due_at,
                answered_at=answered_at,
                response_seconds=query.first_response_seconds,
                met_target=query.first_response_met_target,
                held_by_id=query.assigned_officer_id,
                answer=reply,
            )
        )
        events.append(
            QueryEvent(
                query=query,
                kind=QueryEvent.Kind.SUBMITTED,
                body=HISTORY_MESSAGE,
                created_at=query.submitted_at,
            )
        )
    QueryEvent.objects.bulk_create([*events, *replies])
    ResponseClock.objects.bulk_create(clocks)
    AnswerFeedback.objects.bulk_create(_history_feedback(clocks))
    return len(queries)


def _history_feedback(clocks: list[ResponseClock]) -> list[AnswerFeedback]:
    """About half the residents say whether the answer helped: late answers less often yes."""
    rng = random.Random(311)
    feedback = []
    for answered in clocks:
        if rng.random() < 0.5:
            continue
        late = not answered.met_target
        roll = rng.random()
        rating = "yes" if roll < (0.35 if late else 0.7) else "partly" if roll < 0.85 else "no"
        feedback.append(
            AnswerFeedback(
                clock=answered,
                query=answered.query,
                rating=rating,
                given_at=answered.answered_at + datetime.timedelta(hours=rng.randint(1, 48)),
            )
        )
    return feedback


@demo_seeder
def seed_demo_queries(neighbourhoods: dict[str, Neighbourhood]) -> None:
    seed_queries(neighbourhoods)
    seed_query_history(neighbourhoods)
