"""The SLA sweep and the retention run on the embedded SQLite database, as `make run` runs them.

Run by tests/queries/test_sla_on_sqlite.py in a process of its own (the suite's own database is
PostgreSQL): `python -m tests.queries.sla_on_sqlite` with DATABASE_URL pointing at an empty
SQLite file. It builds the tables, submits queries through the services, sweeps and
anonymises at set times and prints what happened as JSON, for the test to check."""

import datetime
import json
import os
import sys

import django

SUBMITTED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def _tables() -> None:
    """The tables as the models declare them (constraints included), without replaying every
    migration: a dozen seconds less for each run."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    class NoMigrations(dict):
        def __contains__(self, app: object) -> bool:
            return True

        def __getitem__(self, app: str) -> None:
            return None

    with override_settings(MIGRATION_MODULES=NoMigrations()):
        call_command("migrate", run_syncdb=True, verbosity=0)


def _sweep_emails(known: set[int]) -> list[dict]:
    """The emails the sweep put in the outbox since `known`, oldest first, once sent as the
    worker sends them (to Django's in-memory mail backend)."""
    from django.test.utils import override_settings

    from notifications.models import OutboxEmail
    from tests.fixtures.mail import send_outbox

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        send_outbox()
    new = OutboxEmail.objects.exclude(pk__in=known).order_by("pk")
    found = []
    for email in new.select_related("query_link__query"):
        known.add(email.pk)
        if email.subject.startswith(("Reminder", "Response target", "Escalated")):
            found.append(
                {"subject": email.subject, "to": email.to, "query": email.query_link.query.name}
            )
    return found


def _ladder(names: list[str]) -> dict[str, dict]:
    from queries.models import EscalationStep, Query

    found = {}
    for query in Query.objects.filter(name__in=names):
        found[query.name] = {
            "next_step": query.next_escalation_step,
            "next_at": query.next_escalation_at.isoformat() if query.next_escalation_at else None,
            "steps": sorted(
                EscalationStep.objects.filter(query=query).values_list("step", flat=True)
            ),
            "events": sorted(query.events.values_list("kind", flat=True)),
        }
    return found


def main() -> dict:
    django.setup()
    import time_machine
    from django.contrib.auth.models import Group
    from django.db import connection

    from config.roles import Role
    from queries.models import Query, Topic
    from queries.services.resident import query_submit
    from queries.services.sla import queries_anonymise_expired, sla_sweep
    from queries.services.staff import query_close, query_reply
    from tests.factories import UserFactory
    from tests.queries.factories import neighbourhood_with_team

    _tables()
    # The team as it stood when the queries came in.
    with time_machine.travel(SUBMITTED, tick=False):
        neighbourhood, officers = neighbourhood_with_team(name="Derby City Centre")
    named = UserFactory(username="officer")
    named.groups.add(Group.objects.create(name=Role.OFFICER.value))
    officers["named"].user = named
    officers["named"].save(update_fields=["user"])
    names = ["Ann", "Bob", "Cat", "Dan"]
    queries = {}
    for minutes, name in enumerate(names):
        queries[name], _ = query_submit(
            neighbourhood=neighbourhood,
            topic=Topic.ANTI_SOCIAL_BEHAVIOUR,
            message="Cars race along our street late at night.",
            name=name,
            email=f"{name.lower()}@example.com",
            phone="",
            contact_preference="email",
            now=SUBMITTED + minutes * MINUTE,
        )
    # Dan's query is closed at once, without a reply; Cat's is answered at 50 hours.
    query_close(query=queries["Dan"], by=named, outcome="Dealt with.", now=SUBMITTED + HOUR)
    known: set[int] = set()
    _sweep_emails(known)

    report: dict = {
        "vendor": connection.vendor,
        "officers": {role: officer.contact_email for role, officer in officers.items()},
        "sweeps": [],
    }

    def sweep(hours: float, **batch) -> None:
        taken = sla_sweep(now=SUBMITTED + hours * HOUR, **batch)
        report["sweeps"].append(
            {
                "hours": hours,
                "taken": taken,
                "emails": _sweep_emails(known),
                "ladder": _ladder(names),
            }
        )

    # Batches of two: Ann and Bob in the first, Cat in the second, then an empty one.
    sweep(48.1, batch_size=2)
    sweep(48.1)
    query_reply(query=queries["Cat"], by=named, message="We will visit.", now=SUBMITTED + 50 * HOUR)
    sweep(100)
    sweep(100)

    retention = SUBMITTED + datetime.timedelta(days=400)
    report["anonymised"] = [
        queries_anonymise_expired(now=retention),
        queries_anonymise_expired(now=retention),
    ]
    report["left"] = {
        query.name or query.reference: query.status
        for query in Query.objects.filter(anonymised_at__isnull=True)
    }
    report["removed"] = sorted(
        Query.objects.filter(anonymised_at__isnull=False).values_list("email", "message")
    )
    return report


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith("sqlite:"):
        sys.exit("DATABASE_URL must point at an SQLite file")
    report = main()
    from tests.mutation_children import child_functions_report

    child_functions_report()
    print(json.dumps(report))
