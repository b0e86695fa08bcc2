"""What an import of data.police.uk files did: how many of each kind of row it created,
updated or left unchanged, the records and values it could not use (by file and position),
the fields the portal has no place for, and the boundaries that changed."""

from collections import Counter
from dataclasses import dataclass, field

from api.imports.policeuk_parsing import BadRecord, LeftOut

KINDS = (
    "forces",
    "neighbourhoods",
    "boundaries",
    "officers",
    "assignments",
    "events",
    "priorities",
)
OUTCOMES = ("created", "updated", "unchanged", "bad", "bad_values")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Records skipped, and values left out of records that were imported.
    bad: int = 0
    bad_values: int = 0


@dataclass
class PoliceUkReport:
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    problems: list[str] = field(default_factory=list)
    # Fields the portal has no place for, by name, and how often the files had a value there.
    ignored: Counter = field(default_factory=Counter)
    boundaries_changed: set[int] = field(default_factory=set)
    postcodes_moved: int = 0

    def count(self, kind: str, outcome: str) -> None:
        counts = self.counts[kind]
        setattr(counts, outcome, getattr(counts, outcome) + 1)

    def bad(self, kind: str, where: str, problem: BadRecord | str, position: int | None = None):
        if position is None and isinstance(problem, BadRecord):
            position = problem.position
        self.count(kind, "bad")
        self.problems.append(f"{where}{'' if position is None else f'[{position}]'}: {problem}")

    def left_out(self, kind: str, where: str, left_out: LeftOut, position: int | None = None):
        """Report the values left out of a record that was otherwise imported."""
        at = "" if position is None else f"[{position}]"
        for problem in left_out.bad:
            self.count(kind, "bad_values")
            self.problems.append(f"{where}{at}: {problem} (left out)")
        self.ignored.update(left_out.ignored)

    def merge(self, other: "PoliceUkReport") -> None:
        for kind, counts in other.counts.items():
            for outcome in OUTCOMES:
                setattr(
                    self.counts[kind],
                    outcome,
                    getattr(self.counts[kind], outcome) + getattr(counts, outcome),
                )
        self.problems.extend(other.problems)
        self.ignored.update(other.ignored)
        self.boundaries_changed |= other.boundaries_changed

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())
