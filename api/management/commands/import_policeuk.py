import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from api.imports import policeuk
from api.imports.policeuk import ImportSourceMissing, policeuk_import


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, with the folder layout in the description kept as written."""


class Command(BaseCommand):
    help = (
        "Import forces, neighbourhoods, boundaries, teams, events and priorities from\n"
        "data.police.uk files. Safe to run again: only what changed is written.\n\n"
        + policeuk.__doc__.split("\n\n", 1)[1]
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter)

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="the folder laid out as described above")
        parser.add_argument(
            "--force",
            dest="force_slug",
            metavar="SLUG",
            help="import only this force (forces/SLUG.json); default: every forces/*.json",
        )

    def handle(self, *args, folder: Path, force_slug: str | None, **options) -> None:
        try:
            report = policeuk_import(folder=Path(folder), force_slug=force_slug)
        except ImportSourceMissing as exc:
            raise CommandError(str(exc)) from exc
        if report.problems:
            self.stderr.write(
                f"{len(report.problems)} records or values could not be imported "
                "(a value left out of a record says so):"
            )
            for problem in report.problems:
                self.stderr.write(f"  {problem}")
        self.stdout.write(
            f"{'':<15}{'created':>9}{'updated':>9}{'unchanged':>11}{'bad':>6}{'bad values':>12}"
        )
        for kind, counts in report.counts.items():
            self.stdout.write(
                f"{kind:<15}{counts.created:>9}{counts.updated:>9}"
                f"{counts.unchanged:>11}{counts.bad:>6}{counts.bad_values:>12}"
            )
        if report.ignored:
            self.stdout.write("Ignored, the portal has no place for them:")
            for name, count in sorted(report.ignored.items()):
                self.stdout.write(f"  {name}: {count}")
        self.stdout.write(f"Postcodes moved by changed boundaries: {report.postcodes_moved:,}")
        self.stdout.write(self.style.SUCCESS(f"Imported from {folder}."))
