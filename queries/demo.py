"""Demo queries for `seed_demo`, one or more in every state of the response clock.

Written straight to the tables, each found by its reference so a second run changes nothing.
Escalation steps already due are left to the SLA sweep (`python manage.py sla_sweep`, or beat
under `make run`), which sends their emails once, to files under var/mail/."""

import datetime
import hashlib
import random

from django.utils import timezone

from neighbourhoods.models import Neighbourhood
from officers.models import Assignment
from queries import clock
from queries.models import ContactPreference, Query, QueryEvent, Topic

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
        if answered_after:
            answered_at = submitted + datetime.timedelta(hours=answered_after)
            events.append(
                QueryEvent(
                    query=query,
                    kind=QueryEvent.Kind.REPLY,
                    author=author,
                    body="Thank you for getting in touch. We have added this to our patrol plan "
                    "and will update you after the next beat meeting.",
                    created_at=answered_at,
                )
            )
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
