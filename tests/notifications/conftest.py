import copy
from collections.abc import Callable

import pytest


@pytest.fixture
def email_templates(settings) -> Callable[[dict[str, str]], str]:
    """Serve an email's templates from memory, ahead of the project's: give the subject, text
    and (optional) HTML templates by suffix ("_subject.txt", ".txt", ".html"); returns the
    template path to enqueue the email with."""

    def install(templates: dict[str, str]) -> str:
        path = "tests/email/notice"
        engines = copy.deepcopy(settings.TEMPLATES)
        options = engines[0]["OPTIONS"]
        options["loaders"] = [
            (
                "django.template.loaders.locmem.Loader",
                {f"{path}{suffix}": text for suffix, text in templates.items()},
            ),
            *options["loaders"],
        ]
        settings.TEMPLATES = engines
        return path

    return install


@pytest.fixture
def sending_log(caplog) -> Callable[[], list[tuple[str, str]]]:
    """What the outbox's sending has logged so far, as (level, message): the SMTP server's
    and the worker's own log lines left out."""

    def records() -> list[tuple[str, str]]:
        return [
            (record.levelname, record.getMessage())
            for record in caplog.records
            if record.name == "notifications.sending"
        ]

    return records
