"""Writing emails to the outbox: each row holds what its templates render for it, and its
sending is asked for only once the change that wrote it commits; a real worker then delivers
each email once. Failed emails go back to the outbox only at an administrator's request."""

import datetime
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation

from notifications.models import OutboxEmail
from notifications.services import (
    OutboxDraft,
    outbox_email_enqueue,
    outbox_email_send_again,
    outbox_emails_enqueue,
    outbox_emails_send_after_commit,
    recipients_by_language,
    unique_addresses,
)
from tests.fixtures.celery_worker import wait_until_worker_idle
from tests.waiting import wait_until

NOTICE = {
    "_subject.txt": "Your query\n   {{ reference }}  is {{ state }}\n",
    ".txt": "Hello {{ name }},\nyour query {{ reference }} is {{ state }}.\n",
    ".html": "<p>Hello {{ name }}, your query is {{ state }}.</p>",
}
REMINDER = {
    "_subject.txt": "Reminder: {{ reference }}\n",
    ".txt": "Query {{ reference }} is due.\n",
}


@pytest.fixture
def templates(settings) -> dict[str, str]:
    """Two emails' templates served from memory ahead of the project's: "notice" with an
    HTML body, "reminder" without; returns their paths by name."""
    paths = {"notice": "tests/email/notice", "reminder": "tests/email/reminder"}
    engines = [dict(engine) for engine in settings.TEMPLATES]
    options = dict(engines[0]["OPTIONS"])
    options["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {
                f"{paths[name]}{suffix}": text
                for name, texts in (("notice", NOTICE), ("reminder", REMINDER))
                for suffix, text in texts.items()
            },
        ),
        *options["loaders"],
    ]
    engines[0]["OPTIONS"] = options
    settings.TEMPLATES = engines
    return paths


def delivered(server, count: int) -> list:
    """The messages received once `count` rows are sent and the worker has nothing left (a
    duplicate, were there one, has arrived by then)."""
    wait_until(lambda: OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == count)
    wait_until_worker_idle()
    return server.messages


def test_unique_addresses_drop_blanks_and_repeats_keeping_the_first_spelling():
    addresses = [" Sam@Example.com ", "", None, "priya@example.com", "sam@example.COM", "  "]

    assert unique_addresses(addresses) == ["Sam@Example.com", "priya@example.com"]


def test_addresses_that_only_upper_case_alike_are_both_kept():
    # Internationalised addresses (RFC 6531): "ß" upper-cases to "SS", so these two mailboxes
    # read the same in capitals, and are two people; "strasse" and "STRASSE" differ in case alone.
    addresses = ["straße@example.com", "strasse@example.com", "STRASSE@example.com"]

    assert unique_addresses(addresses) == ["straße@example.com", "strasse@example.com"]


def test_recipients_are_split_by_the_language_each_reads_in_the_order_they_first_come():
    # Addresses are known by their lower case; a team inbox nobody's language is known for
    # reads the default. Blanks and repeats are dropped as unique_addresses does.
    addresses = [
        "Sam@Example.com",
        "team@example.com",
        "",
        "priya@example.com",
        "sam@example.com",
        "Rhys@Example.com",
    ]
    languages = {"sam@example.com": "cy", "rhys@example.com": "cy", "priya@example.com": "en-gb"}

    assert recipients_by_language(addresses, languages, "en-gb") == [
        ("cy", ["Sam@Example.com", "Rhys@Example.com"]),
        ("en-gb", ["team@example.com", "priya@example.com"]),
    ]
    assert recipients_by_language(["team@example.com"], languages, "cy") == [
        ("cy", ["team@example.com"])
    ]


@pytest.mark.django_db
def test_an_email_is_written_as_its_templates_render_it(templates):
    forget_after = timezone.now() + datetime.timedelta(days=30)
    context = {"reference": "DY-7K3P-Q9X", "state": "answered", "name": "O'Neil & Sons"}

    email = outbox_email_enqueue(
        to=["sam@example.com"],
        template=templates["notice"],
        context=context,
        headers={"X-Query-Reference": "DY-7K3P-Q9X"},
        redact_after_send=True,
        forget_after=forget_after,
    )

    email.refresh_from_db()
    assert email.to == ["sam@example.com"]
    # Subjects are one line; text is plain text, not HTML-escaped; HTML stays escaped.
    assert email.subject == "Your query DY-7K3P-Q9X is answered"
    assert email.body_text == "Hello O'Neil & Sons,\nyour query DY-7K3P-Q9X is answered.\n"
    assert email.body_html == "<p>Hello O&#x27;Neil &amp; Sons, your query is answered.</p>"
    assert email.headers == {"X-Query-Reference": "DY-7K3P-Q9X"}
    assert (email.redact_after_send, email.forget_after) == (True, forget_after)
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 0)


@pytest.mark.django_db
def test_an_email_without_an_html_template_is_plain_text_with_no_headers_of_its_own(templates):
    email = outbox_email_enqueue(
        to=["sergeant@example.police.uk"],
        template=templates["reminder"],
        context={"reference": "DY-7K3P-Q9X"},
    )

    email.refresh_from_db()
    assert (email.subject, email.body_text) == (
        "Reminder: DY-7K3P-Q9X",
        "Query DY-7K3P-Q9X is due.\n",
    )
    assert email.body_html == ""
    assert email.headers == {}
    assert (email.redact_after_send, email.forget_after) == (False, None)


@pytest.mark.django_db
@pytest.mark.parametrize(("send_after_commit", "asked"), [(True, 1), (False, 0)])
def test_sending_is_asked_for_after_the_commit_unless_the_caller_does_it(
    templates, django_capture_on_commit_callbacks, send_after_commit, asked
):
    with django_capture_on_commit_callbacks() as callbacks:
        outbox_email_enqueue(
            to=["sam@example.com"],
            template=templates["reminder"],
            context={"reference": "DY-7K3P-Q9X"},
            send_after_commit=send_after_commit,
        )

    assert len(callbacks) == asked


@pytest.mark.django_db(transaction=True)
def test_an_enqueued_email_is_delivered_by_a_worker_once_the_change_commits(
    celery_worker, smtp_server, templates
):
    with transaction.atomic():
        email = outbox_email_enqueue(
            to=["sam@example.com"],
            template=templates["reminder"],
            context={"reference": "DY-7K3P-Q9X"},
        )

    messages = delivered(smtp_server, 1)
    assert [(m["Subject"], m["X-Envelope-To"]) for m in messages] == [
        ("Reminder: DY-7K3P-Q9X", "sam@example.com")
    ]
    email.refresh_from_db()
    assert email.attempts == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "asked"), [(0, 0), (1, 1), (3, 1)])
def test_emails_of_one_change_are_asked_for_with_one_call(
    templates, django_capture_on_commit_callbacks, count, asked
):
    with django_capture_on_commit_callbacks() as callbacks:
        email_ids = [
            outbox_email_enqueue(
                to=[f"officer{n}@example.police.uk"],
                template=templates["reminder"],
                context={"reference": f"DY-0000-00{n}"},
                send_after_commit=False,
            ).pk
            for n in range(count)
        ]
        outbox_emails_send_after_commit(email_ids)

    assert len(callbacks) == asked


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("count", [1, 2, 3])
def test_emails_sent_together_after_the_commit_are_each_delivered_once(
    celery_worker, smtp_server, templates, count
):
    with transaction.atomic():
        email_ids = [
            outbox_email_enqueue(
                to=[f"officer{n}@example.police.uk"],
                template=templates["reminder"],
                context={"reference": f"DY-0000-00{n}"},
                send_after_commit=False,
            ).pk
            for n in range(count)
        ]
        outbox_emails_send_after_commit(email_ids)

    messages = delivered(smtp_server, count)
    assert sorted(m["X-Envelope-To"] for m in messages) == [
        f"officer{n}@example.police.uk" for n in range(count)
    ]


@pytest.mark.django_db
def test_no_drafts_write_nothing_and_ask_for_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert outbox_emails_enqueue(drafts=[], template="tests/email/none") == []

    assert callbacks == []
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_many_emails_are_written_each_from_its_own_template_in_order(
    templates, django_capture_on_commit_callbacks
):
    forget_after = timezone.now() + datetime.timedelta(days=30)
    drafts = [
        OutboxDraft(
            to=["sam@example.com"],
            context={"reference": "DY-AAAA-001", "state": "closed", "name": "Sam"},
            headers={"X-Query-Reference": "DY-AAAA-001"},
            template=templates["notice"],
        ),
        OutboxDraft(
            to=["sergeant@example.police.uk", "inspector@example.police.uk"],
            context={"reference": "DY-AAAA-002"},
            template=templates["reminder"],
        ),
        OutboxDraft(
            to=["priya@example.com"],
            context={"reference": "DY-AAAA-003", "state": "open", "name": "Priya"},
            template=templates["notice"],
        ),
    ]

    with django_capture_on_commit_callbacks() as callbacks:
        email_ids = outbox_emails_enqueue(
            drafts=drafts, redact_after_send=True, forget_after=forget_after
        )

    assert len(callbacks) == 1
    emails = [OutboxEmail.objects.get(pk=pk) for pk in email_ids]
    assert [(e.to, e.subject, e.headers) for e in emails] == [
        (
            ["sam@example.com"],
            "Your query DY-AAAA-001 is closed",
            {"X-Query-Reference": "DY-AAAA-001"},
        ),
        (
            ["sergeant@example.police.uk", "inspector@example.police.uk"],
            "Reminder: DY-AAAA-002",
            {},
        ),
        (["priya@example.com"], "Your query DY-AAAA-003 is open", {}),
    ]
    assert [(e.body_text, e.body_html) for e in emails] == [
        (
            "Hello Sam,\nyour query DY-AAAA-001 is closed.\n",
            "<p>Hello Sam, your query is closed.</p>",
        ),
        ("Query DY-AAAA-002 is due.\n", ""),
        (
            "Hello Priya,\nyour query DY-AAAA-003 is open.\n",
            "<p>Hello Priya, your query is open.</p>",
        ),
    ]
    assert {(e.redact_after_send, e.forget_after, e.status) for e in emails} == {
        (True, forget_after, OutboxEmail.Status.PENDING)
    }


@pytest.mark.django_db
def test_the_template_of_the_enqueue_is_used_for_every_draft(templates):
    drafts = [
        OutboxDraft(to=[f"resident{n}@example.com"], context={"reference": f"DY-BBBB-00{n}"})
        for n in range(2)
    ]

    email_ids = outbox_emails_enqueue(drafts=drafts, template=templates["reminder"])

    assert [OutboxEmail.objects.get(pk=pk).subject for pk in email_ids] == [
        "Reminder: DY-BBBB-000",
        "Reminder: DY-BBBB-001",
    ]
    # Nothing is redacted or forgotten unless asked for.
    assert {
        (email.redact_after_send, email.forget_after)
        for email in OutboxEmail.objects.filter(pk__in=email_ids)
    } == {(False, None)}


# Names the language each part of an email was rendered in, and its reader.
IN_LANGUAGE = {
    "_subject.txt": "{% load i18n %}{% get_current_language as code %}Written in {{ code }}\n",
    ".txt": "{% load i18n %}{% get_current_language as code %}{{ name }}: text in {{ code }}.\n",
    ".html": "{% load i18n %}{% get_current_language as code %}<p>HTML in {{ code }}.</p>",
}


@pytest.mark.django_db
def test_an_email_is_written_in_the_language_its_recipient_reads(email_templates):
    template = email_templates(IN_LANGUAGE)

    with translation.override("en-gb"):
        welsh = outbox_email_enqueue(
            to=["sam@example.com"], template=template, context={"name": "Sam"}, language="cy"
        )
        english = outbox_email_enqueue(
            to=["priya@example.com"], template=template, context={"name": "Priya"}
        )
        assert translation.get_language() == "en-gb"

    assert (welsh.subject, welsh.body_text, welsh.body_html) == (
        "Written in cy",
        "Sam: text in cy.\n",
        "<p>HTML in cy.</p>",
    )
    assert (english.subject, english.body_text) == ("Written in en-gb", "Priya: text in en-gb.\n")


@pytest.mark.django_db
def test_emails_written_together_are_each_in_the_language_of_their_draft(email_templates):
    template = email_templates(IN_LANGUAGE)
    drafts = [
        OutboxDraft(to=["sam@example.com"], context={"name": "Sam"}, language="cy"),
        OutboxDraft(to=["team@example.police.uk"], context={"name": "Team"}),
        OutboxDraft(to=["priya@example.com"], context={"name": "Priya"}, language="en-gb"),
    ]

    with translation.override("en-gb"):
        email_ids = outbox_emails_enqueue(drafts=drafts, template=template)
        assert translation.get_language() == "en-gb"

    emails = [OutboxEmail.objects.get(pk=pk) for pk in email_ids]
    assert [(e.subject, e.body_text, e.body_html) for e in emails] == [
        ("Written in cy", "Sam: text in cy.\n", "<p>HTML in cy.</p>"),
        ("Written in en-gb", "Team: text in en-gb.\n", "<p>HTML in en-gb.</p>"),
        ("Written in en-gb", "Priya: text in en-gb.\n", "<p>HTML in en-gb.</p>"),
    ]


@pytest.mark.django_db(transaction=True)
def test_many_emails_written_together_are_each_delivered_once(
    celery_worker, smtp_server, templates
):
    drafts = [
        OutboxDraft(to=[f"resident{n}@example.com"], context={"reference": f"DY-CCCC-00{n}"})
        for n in range(3)
    ]
    with transaction.atomic():
        outbox_emails_enqueue(drafts=drafts, template=templates["reminder"])

    messages = delivered(smtp_server, 3)
    assert sorted((m["X-Envelope-To"], m["Subject"]) for m in messages) == [
        (f"resident{n}@example.com", f"Reminder: DY-CCCC-00{n}") for n in range(3)
    ]


def _failed_email(subject: str) -> OutboxEmail:
    return OutboxEmail.objects.create(
        to=["sam@example.com"],
        subject=subject,
        body_text="Plain text.",
        status=OutboxEmail.Status.FAILED,
        attempts=8,
        last_error="SMTPDataError: (550, b'Mailbox unavailable')",
    )


@pytest.mark.django_db
def test_only_an_administrator_may_send_failed_emails_again(officer_account):
    email = _failed_email("Breach notice")

    with pytest.raises(
        PermissionDenied, match=r"^Only administrators can send failed emails again\.$"
    ):
        outbox_email_send_again(email_ids=[email.pk], by=officer_account)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.FAILED, 8)


@pytest.mark.django_db
def test_failed_emails_sent_again_get_a_fresh_set_of_attempts(
    administrator_account, django_capture_on_commit_callbacks, caplog
):
    failed = [_failed_email("Breach notice 1"), _failed_email("Breach notice 2")]
    not_chosen = _failed_email("Breach notice 3")
    retrying = OutboxEmail.objects.create(
        to=["sam@example.com"],
        subject="Waiting",
        body_text="Plain text.",
        attempts=2,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=2),
    )

    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks() as callbacks:
        requeued = outbox_email_send_again(
            email_ids=[*(email.pk for email in failed), retrying.pk], by=administrator_account
        )

    assert requeued == 2
    assert len(callbacks) == 2
    for email in failed:
        email.refresh_from_db()
        assert (email.status, email.attempts, email.next_attempt_at) == (
            OutboxEmail.Status.PENDING,
            0,
            None,
        )
    retrying.refresh_from_db()
    assert (retrying.status, retrying.attempts) == (OutboxEmail.Status.PENDING, 2)
    not_chosen.refresh_from_db()
    assert (not_chosen.status, not_chosen.attempts) == (OutboxEmail.Status.FAILED, 8)
    assert "2 failed outbox emails sent again by administrator" in [
        record.getMessage() for record in caplog.records
    ]


@pytest.mark.django_db
def test_sending_again_emails_that_have_not_failed_changes_nothing(
    administrator_account, django_capture_on_commit_callbacks, caplog
):
    sent = OutboxEmail.objects.create(
        to=["sam@example.com"], subject="Sent", body_text=".", status=OutboxEmail.Status.SENT
    )

    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks() as callbacks:
        assert outbox_email_send_again(email_ids=[sent.pk], by=administrator_account) == 0

    assert callbacks == []
    assert [r for r in caplog.records if r.name == "notifications.services"] == []


@pytest.mark.django_db(transaction=True)
def test_failed_emails_sent_again_are_each_delivered_once(
    celery_worker, smtp_server, administrator_account
):
    failed = [_failed_email(f"Breach notice {n}") for n in range(2)]

    outbox_email_send_again(email_ids=[email.pk for email in failed], by=administrator_account)

    messages = delivered(smtp_server, 2)
    assert sorted(m["Subject"] for m in messages) == ["Breach notice 0", "Breach notice 1"]
