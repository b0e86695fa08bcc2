"""A test that runs the portal in a process of its own, under `make mutation`.

mutmut first runs each test once to learn which functions it calls, then runs against each
mutant only the tests that called its function. A child process inherits the environment and
the working directory, so it runs the mutated code, but the functions it calls are counted in
the child and lost with it. The child writes them to a file (`child_functions_report`) and the
test adds them to its own count (`child_functions_count`), so mutmut runs the test for their
mutants. Outside mutmut's first run all three do nothing."""

import json
import os
from pathlib import Path

_VARIABLE = "PORTAL_MUTATION_CHILD_FUNCTIONS"


def _counting() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def child_functions_env(folder: Path) -> dict[str, str]:
    """The environment variable that asks a child to report the functions it called."""
    return {_VARIABLE: str(folder / "mutation-functions.json")} if _counting() else {}


def child_functions_report() -> None:
    """In the child, at its end: write down the mutated functions it called."""
    path = os.environ.get(_VARIABLE)
    if not path or not _counting():
        return
    from mutmut.state import state

    Path(path).write_text(json.dumps(sorted(state()._stats)))


def child_functions_read(folder: Path) -> list[str]:
    """The functions the child reported (none outside mutmut's first run)."""
    path = folder / "mutation-functions.json"
    return json.loads(path.read_text()) if _counting() and path.exists() else []


def child_functions_count(functions: list[str], *, only: list[str]) -> None:
    """Count those of the child's functions named in `only` ("module.function") as called by
    the test running now: a test that takes seconds is run for the mutants it is there for."""
    if not functions:
        return
    from mutmut.stats import record_trampoline_hit

    for name in functions:
        module, _, mangled = name.rpartition(".")
        if f"{module}.{mangled.removeprefix('x_')}" in only:
            record_trampoline_hit(name)
