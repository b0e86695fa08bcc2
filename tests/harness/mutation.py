"""Run mutmut on one of the core modules, against the tests that cover it.

mutmut reads one fixed ``[tool.mutmut]`` table. The modules worth mutating, and the tests that
cover each, are listed in ``[tool.portal.mutation]`` of pyproject.toml; this sets the file to
mutate, its app and its tests, then hands over to mutmut's own command line:

    python tests/harness/mutation.py list
    python tests/harness/mutation.py queries/clock.py run --max-children 1
    python tests/harness/mutation.py queries/clock.py results
    python tests/harness/mutation.py queries/clock.py score

``score`` prints ``<module>: <killed> of <total> mutants killed (<percent>)`` for the last run.
"""

import dataclasses
import sys
import tomllib
from collections import Counter
from pathlib import Path


def modules() -> dict[str, list[str]]:
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    return project["tool"]["portal"]["mutation"]


def configure(module: str, tests: list[str]) -> None:
    from mutmut import configuration

    app = Path(module).parts[0]
    base = configuration._load_config()
    configuration._config = dataclasses.replace(
        base,
        only_mutate=[module],
        source_paths=[Path(app)],
        resolved_mutated_source_paths=[Path.cwd().resolve() / "mutants" / app],
        pytest_add_cli_args_test_selection=tests,
        also_copy=[path for path in base.also_copy if path != Path(app)],
    )


def score(module: str) -> None:
    from mutmut.__main__ import SourceFileMutationData, status_by_exit_code

    data = SourceFileMutationData(path=Path(module))
    data.load()
    counts = Counter(status_by_exit_code[code] for code in data.exit_code_by_key.values())
    total = sum(counts.values())
    killed = counts["killed"]
    percent = f"{killed / total:.0%}" if total else "no mutants"
    others = "".join(
        f"; {n} {status}" for status, n in sorted(counts.items()) if status != "killed"
    )
    print(f"{module}: {killed} of {total} mutants killed ({percent}){others}")


def main(argv: list[str]) -> None:
    listed = modules()
    if argv[:1] == ["list"]:
        print(" ".join(listed))
        return
    if not argv or argv[0] not in listed:
        sys.exit(
            "usage: mutation.py {list | <module> <mutmut command>}; modules: " + " ".join(listed)
        )
    module, command = argv[0], argv[1:]
    configure(module, listed[module])
    if command == ["score"]:
        score(module)
        return
    from mutmut.__main__ import cli

    cli(command)


if __name__ == "__main__":
    main(sys.argv[1:])
