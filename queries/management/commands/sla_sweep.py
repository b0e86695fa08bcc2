"""`python manage.py sla_sweep`: the beat task's sweep, for cron."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from queries.services.sla import sla_sweep


class Command(BaseCommand):
    help = "Take every query escalation step (reminder, breach, escalation) that has fallen due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Queries per transaction (default 500)."
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        taken = sla_sweep(batch_size=batch_size)
        noun = "step" if taken == 1 else "steps"
        self.stdout.write(f"SLA sweep: {taken} escalation {noun} taken.")
