"""UK postcodes: one normal form for storage and lookup, and the ONS Postcode Directory import:
each postcode, its position and the neighbourhood it is in.

The CSV has a header row; only the columns `pcds` (the postcode), `lat` and `long` are read.
The file has millions of rows, so it is streamed and written in batches: each batch is located
against the neighbourhood boundaries in one vectorised query and upserted in one transaction.
Running it again writes the same values.

When boundaries change, `postcodes_relocate` places the postcodes in and around the changed
neighbourhoods again, in batches, writing only the postcodes that moved.
"""

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.db.models import Q
from tqdm import tqdm

from config import caching
from neighbourhoods.geo import InvalidBoundary, boundary_geometry, get_locator, load_locator
from neighbourhoods.models import Neighbourhood, Postcode

# Outward code (area, district) and inward code (sector, unit); GIR 0AA is the one oddity.
POSTCODE_RE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str | None:
    """'de11aa', ' De1 1Aa ' -> 'DE1 1AA'; None when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not POSTCODE_RE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


COLUMNS = ("pcds", "lat", "long")
# The ONS file's latitude for a postcode with no grid reference.
NO_GRID_REFERENCE = 99.999999
REPORTED_BAD_ROWS = 20


class PostcodeFileError(Exception):
    """The file cannot be read as a postcode directory at all."""


class BadRow(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass
class PostcodeImportReport:
    rows_read: int = 0
    imported: int = 0
    outside: int = 0
    bad: Counter = field(default_factory=Counter)
    # (line number, reason and value) of the first REPORTED_BAD_ROWS bad rows.
    bad_rows: list[tuple[int, str]] = field(default_factory=list)

    def add_bad(self, line: int, problem: BadRow) -> None:
        self.bad[problem.reason] += 1
        if len(self.bad_rows) < REPORTED_BAD_ROWS:
            self.bad_rows.append((line, str(problem)))


def _coordinate(value: str | None, name: str, limit: float) -> float:
    if value is None or not value.strip():
        raise BadRow("missing lat/long", f"{name} is empty")
    try:
        number = float(value)
    except ValueError:
        raise BadRow("unparsable lat/long", f"{name} {value!r} is not a number") from None
    if name == "lat" and number == NO_GRID_REFERENCE:
        raise BadRow("no grid reference", f"lat is {value}")
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise BadRow("out-of-range lat/long", f"{name} {value!r} is out of range")
    return number


def parse_row(row: dict) -> tuple[str, float, float]:
    postcode = normalise_postcode(row.get("pcds") or "")
    if postcode is None:
        raise BadRow("bad postcode", f"{row.get('pcds') or ''!r} is not a UK postcode")
    latitude = _coordinate(row.get("lat"), "lat", 90)
    longitude = _coordinate(row.get("long"), "long", 180)
    return postcode, latitude, longitude


def _write_batch(batch: list[tuple[str, float, float]], report: PostcodeImportReport) -> None:
    found = get_locator().locate_many([row[1] for row in batch], [row[2] for row in batch])
    report.imported += len(batch)
    report.outside += found.count(None)
    # A postcode twice in one batch would be upserted twice in one statement: the later wins.
    rows = {
        postcode: Postcode(
            postcode=postcode, latitude=latitude, longitude=longitude, neighbourhood_id=pk
        )
        for (postcode, latitude, longitude), pk in zip(batch, found, strict=True)
    }
    with transaction.atomic():
        Postcode.objects.bulk_create(
            rows.values(),
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["latitude", "longitude", "neighbourhood"],
        )


def _rows(raw: io.BufferedReader) -> Iterator[tuple[int, dict]]:
    reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise PostcodeFileError(f"The file has no column {', '.join(missing)} in its header row.")
    try:
        for row in reader:
            yield reader.line_num, row
    except (csv.Error, UnicodeDecodeError) as exc:
        raise PostcodeFileError(f"Line {reader.line_num + 1} cannot be read: {exc}") from exc


def postcodes_import(
    *, path: Path, batch_size: int = 5000, progress_file: TextIO | None = None
) -> PostcodeImportReport:
    """Upsert every postcode in the CSV at `path`; progress goes to `progress_file` if given."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise PostcodeFileError(f"{path} cannot be opened: {exc.strerror or exc}") from exc
    report = PostcodeImportReport()
    batch: list[tuple[str, float, float]] = []
    with (
        raw,
        tqdm(
            total=path.stat().st_size,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc="Postcodes",
            file=progress_file,
            disable=progress_file is None,
        ) as bar,
    ):
        for line, row in _rows(raw):
            report.rows_read += 1
            try:
                batch.append(parse_row(row))
            except BadRow as problem:
                report.add_bad(line, problem)
            if len(batch) >= batch_size:
                _write_batch(batch, report)
                batch = []
                bar.update(raw.tell() - bar.n)
        if batch:
            _write_batch(batch, report)
        bar.update(bar.total - bar.n)
    if report.imported:
        caching.bump_public_content_version()
    return report


def _relocation_scope(neighbourhood_ids: list[int]) -> Q:
    """The postcodes a change to these boundaries may move: those in the neighbourhoods now, and
    those inside the bounding box of each one's current boundary."""
    scope = Q(neighbourhood_id__in=neighbourhood_ids)
    boundaries = (
        Neighbourhood.objects.filter(pk__in=neighbourhood_ids, boundary__isnull=False)
        .order_by()
        .values_list("boundary", flat=True)
    )
    for boundary in boundaries:
        try:
            west, south, east, north = boundary_geometry(boundary).bounds
        except InvalidBoundary:
            continue  # the locator leaves it out too
        scope |= Q(latitude__range=(south, north), longitude__range=(west, east))
    return scope


def postcodes_relocate(
    *, neighbourhood_ids: list[int] | None = None, batch_size: int = 5000
) -> int:
    """Place postcodes again in the neighbourhood whose current boundary contains them, after
    these neighbourhoods' boundaries changed (every postcode when `neighbourhood_ids` is None).
    Answers how many postcodes moved.

    Each batch is read, located and written in one transaction, the rows locked while it lasts
    so an import writing the same postcodes waits rather than being overwritten. Ids of
    neighbourhoods that no longer exist are passed over."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if neighbourhood_ids is None:
        scope = Q()
    elif not neighbourhood_ids:
        return 0
    else:
        scope = _relocation_scope(list(neighbourhood_ids))
    locator = load_locator()  # the boundaries as committed now, not a process's copy
    moved = 0
    after_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                Postcode.objects.select_for_update()
                .filter(scope, pk__gt=after_pk)
                .order_by("pk")
                .values_list("pk", "postcode", "latitude", "longitude", "neighbourhood_id")[
                    :batch_size
                ]
            )
            found = locator.locate_many([row[2] for row in rows], [row[3] for row in rows])
            changed = [
                Postcode(
                    pk=pk,
                    postcode=postcode,
                    latitude=latitude,
                    longitude=longitude,
                    neighbourhood_id=neighbourhood_id,
                )
                for (pk, postcode, latitude, longitude, old), neighbourhood_id in zip(
                    rows, found, strict=True
                )
                if neighbourhood_id != old
            ]
            if changed:
                # One statement for the batch; the rows exist, so each insert is an update.
                Postcode.objects.bulk_create(
                    changed,
                    update_conflicts=True,
                    unique_fields=["pk"],
                    update_fields=["neighbourhood"],
                )
        moved += len(changed)
        if len(rows) < batch_size:
            break
        after_pk = rows[-1][0]
    if moved:
        caching.bump_public_content_version()
    return moved
