from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from neighbourhoods.demo import demo_seeders, seed_neighbourhoods


class Command(BaseCommand):
    help = (
        "Load the demo force: neighbourhoods, officers, priorities, surveys, events, alert "
        "subscribers and queries. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        if not settings.SEED_DEMO_ALLOWED:
            raise CommandError("seed_demo refuses to run with production settings.")
        notes = []
        with transaction.atomic():
            neighbourhoods = seed_neighbourhoods()
            for seeder in demo_seeders():
                notes.append(seeder(neighbourhoods))
        lines = [f"Demo data ready: {len(neighbourhoods)} neighbourhoods.", *filter(None, notes)]
        self.stdout.write(self.style.SUCCESS(" ".join(lines)))
