"""The outage drills' stack, and their reports (printed at the end of the test run's output by
tests/conftest.py, the one conftest the process that prints the summary always loads)."""

from collections.abc import Iterator

import pytest

from tests.drills.stack import Stack


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
