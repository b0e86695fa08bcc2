"""What the code imports is declared in pyproject.toml: the portal's imports as dependencies,
the tests' as dependencies or the dev extra; a tool only `make run` uses is in its own extra."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
FIRST_PARTY = set(PYPROJECT["tool"]["ruff"]["lint"]["isort"]["known-first-party"])
SKIPPED = {".venv", "node_modules", "static", "var"}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]).lower()


def _declared(*extras: str) -> set[str]:
    project = PYPROJECT["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    return {_name(requirement) for requirement in requirements}


def _distributions_imported(folders: list[Path]) -> dict[str, set[str]]:
    """Each third-party distribution the files import from, and the files that do."""
    distributions = packages_distributions()
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in folder.rglob("*.py"):
            if SKIPPED & set(path.relative_to(ROOT).parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    # bench/ is the project's own folder of benchmarks, imported by its tests.
                    if top in sys.stdlib_module_names or top in FIRST_PARTY or top == "bench":
                        continue
                    for distribution in distributions.get(top, [top]):
                        found.setdefault(_name(distribution), set()).add(
                            str(path.relative_to(ROOT))
                        )
    return found


def _app_folders() -> list[Path]:
    return [ROOT / name for name in FIRST_PARTY if name != "tests"] + [ROOT / "manage.py"]


def test_everything_the_portal_imports_is_a_declared_dependency():
    imported = {}
    for folder in _app_folders():
        folders = [folder] if folder.is_dir() else []
        imported |= _distributions_imported(folders)
    undeclared = {name: files for name, files in imported.items() if name not in _declared()}
    assert undeclared == {}


def test_everything_the_tests_import_is_declared_for_them():
    imported = _distributions_imported([ROOT / "tests"])
    # tests/harness/mutation.py runs under `make mutation`, which installs the mutation extra.
    declared = _declared("dev") | _declared("mutation")
    undeclared = {name: files for name, files in imported.items() if name not in declared}
    assert undeclared == {}


def test_honcho_serves_only_make_run():
    assert "honcho" not in _declared()
    assert "honcho" in _declared("demo")
    assert "honcho==" not in (ROOT / "requirements.txt").read_text()
    assert "honcho==" in (ROOT / "requirements-demo.txt").read_text()
    assert "-r requirements-demo.txt" in (ROOT / "Makefile").read_text()
