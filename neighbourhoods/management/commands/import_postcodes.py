from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from neighbourhoods.postcodes import PostcodeFileError, postcodes_import


class Command(BaseCommand):
    help = (
        "Import the ONS Postcode Directory CSV (columns pcds, lat and long; the others are "
        "ignored) and place each postcode in the neighbourhood whose boundary contains it. "
        "Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("csv", type=Path, help="the ONS Postcode Directory CSV file")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="rows written per transaction (default 5000)",
        )
        parser.add_argument(
            "--no-progress",
            action="store_false",
            dest="progress",
            help="no progress bar (there is none anyway when stderr is not a terminal)",
        )

    def handle(self, *args, csv: Path, batch_size: int, progress: bool, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        # The bar rewrites its line, so it writes to the terminal itself, not line by line.
        progress_file = self.stderr._out if progress and self.stderr.isatty() else None
        try:
            report = postcodes_import(
                path=Path(csv), batch_size=batch_size, progress_file=progress_file
            )
        except PostcodeFileError as exc:
            raise CommandError(str(exc)) from exc
        for line, problem in report.bad_rows:
            self.stderr.write(f"line {line}: {problem}")
        bad_total = sum(report.bad.values())
        if bad_total > len(report.bad_rows):
            self.stderr.write(f"... and {bad_total - len(report.bad_rows)} more bad rows.")
        self.stdout.write(f"rows read: {report.rows_read:,}")
        self.stdout.write(f"imported: {report.imported:,}")
        self.stdout.write(f"outside every neighbourhood: {report.outside:,}")
        self.stdout.write(f"bad: {bad_total:,}")
        for reason, count in sorted(report.bad.items()):
            self.stdout.write(f"  {reason}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Imported postcodes from {csv}."))
