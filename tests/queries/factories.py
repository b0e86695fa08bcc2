"""A valid query with its clock started, as a submission leaves it."""

import hashlib
from collections.abc import Callable

import factory
from django.utils import timezone

from neighbourhoods.models import Neighbourhood
from notifications.models import OutboxEmail
from officers.models import Assignment, Officer, Rank
from queries import clock
from queries.models import ContactPreference, Query, QueryEmail, Topic
from queries.services import sla
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory

# Fields clock.start() sets; a value given to the factory wins over the started clock's.
_CLOCK_FIELDS = ("clock_started_at", "due_at", "next_escalation_at", "next_escalation_step")


class QueryFactory(factory.django.DjangoModelFactory):
    """`QueryFactory(neighbourhood=..., submitted_at=...)`: open, on clock 1 started at
    `submitted_at` (now by default), with the ladder's first step pointed at."""

    class Meta:
        model = Query

    reference = factory.Sequence(lambda n: f"Q{n:07d}")
    token_hash = factory.LazyAttribute(
        lambda q: hashlib.sha256(f"token-{q.reference}".encode()).hexdigest()
    )
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    topic = Topic.ANTI_SOCIAL_BEHAVIOUR
    message = "Cars race along our street late at night."
    name = factory.Sequence(lambda n: f"Resident {n}")
    email = factory.Sequence(lambda n: f"resident{n}@example.com")
    phone = ""
    contact_preference = ContactPreference.EMAIL
    submitted_at = factory.LazyFunction(timezone.now)
    consented_at = factory.SelfAttribute("submitted_at")
    status = Query.Status.OPEN

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        """Unsaved, with the clock started (for bulk_create of many queries)."""
        given = {name: kwargs.pop(name) for name in _CLOCK_FIELDS if name in kwargs}
        status = kwargs.pop("status")
        query = model_class(*args, **kwargs)
        clock.start(query, query.submitted_at)
        query.status = status
        for name, value in given.items():
            setattr(query, name, value)
        return query

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        query = cls._build(model_class, *args, **kwargs)
        query.save()
        clock.record_start(query)
        return query


def neighbourhood_with_team(**fields) -> tuple[Neighbourhood, dict[str, Officer]]:
    """A neighbourhood with a current named officer, team member, sergeant and inspector,
    returned with those officers by role ("named", "team", "sergeant", "inspector")."""
    neighbourhood = NeighbourhoodFactory(**fields)
    officers = {}
    for role, rank in [
        (Assignment.Role.NAMED_OFFICER, Rank.PC),
        (Assignment.Role.TEAM_MEMBER, Rank.PCSO),
        (Assignment.Role.SERGEANT, Rank.SGT),
        (Assignment.Role.INSPECTOR, Rank.INSP),
    ]:
        officer = OfficerFactory(rank=rank)
        AssignmentFactory(officer=officer, neighbourhood=neighbourhood, role=role)
        officers[role.value] = officer
    return neighbourhood, officers


def query_email(query: Query, **fields) -> OutboxEmail:
    """An email in the outbox about `query`, as the queries' services link them."""
    fields = {
        "to": ["resident@example.com"],
        "subject": f"Your query {query.reference}",
        "body_text": "Plain text.",
        **fields,
    }
    email = OutboxEmail.objects.create(**fields)
    QueryEmail.objects.create(email=email, query=query)
    return email


def sweep_dies_at_step(monkeypatch, number: int) -> Callable:
    """Make the SLA sweep's worker die at its `number`-th step (counting from 1), inside that
    batch's transaction; returns the real step, for the test to put back. Nothing real can kill
    the worker at an exact point, so `_take_step` raises there."""
    take_step = sla._take_step
    calls = 0

    def take_step_then_die(*args):
        nonlocal calls
        calls += 1
        if calls == number:
            raise RuntimeError("worker killed")
        return take_step(*args)

    monkeypatch.setattr(sla, "_take_step", take_step_then_die)
    return take_step
