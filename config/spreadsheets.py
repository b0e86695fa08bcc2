"""CSV downloads that a spreadsheet opens safely, streamed a line at a time."""

import csv
from collections.abc import Iterable, Iterator

from django.utils import translation

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """A cell as a spreadsheet will not run it: text that starts like a formula gets an
    apostrophe in front."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    """A file-like object csv.writer writes to, handing each line back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """The rows as CSV lines, in the language of the request that asked for them: a streamed
    response reads its rows after the view has returned and the request's language is gone, so
    each row is read (its headings, its labels) with that language active again."""
    return _lines(iter(rows), translation.get_language())


def _lines(rows: Iterator[list], language: str | None) -> Iterator[str]:
    writer = csv.writer(_Echo())
    while True:
        with translation.override(language):
            row = next(rows, None)
            if row is None:
                return
            line = writer.writerow([safe_cell(value) for value in row])
        yield line
