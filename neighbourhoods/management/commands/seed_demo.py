from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from meetings.demo import seed_events
from neighbourhoods.demo import seed_neighbourhoods, seed_subscribers
from officers.demo import DEMO_PASSWORD, seed_officers
from queries.demo import seed_queries, seed_query_history


class Command(BaseCommand):
    help = "Load the demo force, neighbourhoods, officers and events. Safe to run again."

    def handle(self, *args, **options) -> None:
        if not settings.SEED_DEMO_ALLOWED:
            raise CommandError("seed_demo refuses to run with production settings.")
        with transaction.atomic():
            neighbourhoods = seed_neighbourhoods()
            seed_officers(neighbourhoods)
            seed_events(neighbourhoods)
            seed_queries(neighbourhoods)
            seed_query_history(neighbourhoods)
            seed_subscribers(neighbourhoods)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(neighbourhoods)} neighbourhoods. Sign in as officer, "
                f"sergeant, opcc or admin with the password '{DEMO_PASSWORD}'."
            )
        )
