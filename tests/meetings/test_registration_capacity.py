"""Capacity holds when many residents register at the same moment, on the real database."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from meetings.models import Registration
from meetings.services.registrations import FULL, registration_create
from tests.factories import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrent connections need PostgreSQL (make test runs it)",
    ),
]

CAPACITY = 10
RESIDENTS = 25


def test_concurrent_registrations_never_exceed_capacity():
    event = EventFactory(capacity=CAPACITY)
    start = threading.Barrier(RESIDENTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def resident(n: int) -> None:
        try:
            start.wait()
            try:
                registration_create(
                    event=event,
                    name=f"Resident {n}",
                    email=f"resident{n}@example.com",
                    accessibility_needs="",
                )
            except ValidationError as exc:
                result = exc.code
            else:
                result = "registered"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(RESIDENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == RESIDENTS
    assert outcomes.count("registered") == CAPACITY
    assert outcomes.count(FULL) == RESIDENTS - CAPACITY
    assert Registration.objects.filter(event=event, cancelled_at__isnull=True).count() == CAPACITY
