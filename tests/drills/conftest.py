"""The outage drills' stack, and their reports at the end of the test run's output."""

from collections.abc import Iterator

import pytest

from tests.drills.stack import Stack

REPORTS: list[str] = []


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """PostgreSQL, Redis, SMTP, gunicorn, a Celery worker and beat, for a module's drills."""
    stack = Stack()
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def report(request) -> Iterator[list[str]]:
    """A drill appends its one-line report here; it is printed in the terminal summary. The
    lines travel with the test's report, so they reach the summary from whichever test process
    ran the drill (make test runs several)."""
    lines: list[str] = []
    yield lines
    for line in lines:
        request.node.user_properties.append(("drill", f"{request.node.name}: {line}"))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "teardown":
        REPORTS.extend(line for name, line in report.user_properties if name == "drill")


def pytest_terminal_summary(terminalreporter) -> None:
    if REPORTS:
        terminalreporter.section("outage drills")
        for line in REPORTS:
            terminalreporter.write_line(line)
