"""Emails written to be rendered when sent (the SLA sweep's): the row keeps the template,
context and language; the worker that claims it renders it, in its reader's language, and the
recipient gets exactly the email that rendering it when written would have made, once."""

import datetime
import logging

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone, translation

from notifications.models import OutboxEmail
from notifications.sending import (
    FORGOTTEN,
    claim_timeout,
    outbox_email_send,
    outbox_emails_forget,
)
from notifications.services import OutboxDraft, outbox_email_enqueue, outbox_emails_enqueue
from tests.fixtures.celery_worker import wait_until_worker_idle
from tests.notifications.test_outbox_claim import WorkerKilledMidSend
from tests.waiting import wait_until

IN_LANGUAGE = {
    "_subject.txt": (
        "{% load i18n %}{% get_current_language as code %}{{ reference }} & co, in {{ code }}\n"
    ),
    ".txt": "{% load i18n %}{% get_current_language as code %}{{ name }}: text in {{ code }}.\n",
    ".html": "{% load i18n %}{% get_current_language as code %}<p>{{ name }} in {{ code }}.</p>",
}


def drafts() -> list[OutboxDraft]:
    """Fresh drafts each time (a template's `{% ... as name %}` writes into its context)."""
    return [
        OutboxDraft(to=["sam@example.com"], context={"name": "Sam <b>", "reference": "Q1"}),
        OutboxDraft(
            to=["gwen@example.com"], context={"name": "Gwen", "reference": "Q2"}, language="cy"
        ),
    ]


def parts(message) -> tuple[str, str, str]:
    html = message.get_body(preferencelist=("html",))
    return (
        message["Subject"],
        message.get_body(preferencelist=("plain",)).get_content(),
        html.get_content() if html else "",
    )


@pytest.mark.django_db
def test_the_row_keeps_the_template_context_and_language_until_it_is_sent(email_templates):
    template = email_templates(IN_LANGUAGE)

    with translation.override("en-gb"):
        email_ids = outbox_emails_enqueue(drafts=drafts(), template=template, render_when_sent=True)

    emails = [OutboxEmail.objects.get(pk=pk) for pk in email_ids]
    assert [(e.template, e.context, e.language) for e in emails] == [
        (template, {"name": "Sam <b>", "reference": "Q1"}, "en-gb"),
        (template, {"name": "Gwen", "reference": "Q2"}, "cy"),
    ]
    assert {(e.subject, e.body_text, e.body_html) for e in emails} == {("", "", "")}
    assert str(emails[0]) == f"{template} to sam@example.com"


@pytest.mark.django_db
def test_the_email_sent_is_the_one_rendering_it_when_written_makes(email_templates, smtp_server):
    template = email_templates(IN_LANGUAGE)
    with translation.override("en-gb"):
        later = outbox_emails_enqueue(drafts=drafts(), template=template, render_when_sent=True)
        now = [
            outbox_email_enqueue(
                to=draft.to, template=template, context=draft.context, language=draft.language
            ).pk
            for draft in drafts()
        ]

    # Sent by a worker whose own language is another: each is rendered in its reader's.
    with translation.override("cy"):
        for email_id in later + now:
            assert outbox_email_send(email_id=email_id) is True

    sent = [parts(message) for message in smtp_server.messages]
    assert [subject for subject, _text, _html in sent] == [
        "Q1 & co, in en-gb",
        "Q2 & co, in cy",
    ] * 2
    assert sent[:2] == sent[2:]
    # From the claim on, the row is as any other: what was sent, and no context.
    rows = OutboxEmail.objects.filter(pk__in=later).order_by("pk")
    assert [(e.subject, e.body_text, e.body_html, e.context) for e in rows] == [
        ("Q1 & co, in en-gb", "Sam <b>: text in en-gb.\n", "<p>Sam &lt;b&gt; in en-gb.</p>", None),
        ("Q2 & co, in cy", "Gwen: text in cy.\n", "<p>Gwen in cy.</p>", None),
    ]


@pytest.mark.django_db
def test_a_context_that_is_not_json_is_refused_when_written(email_templates):
    template = email_templates(IN_LANGUAGE)

    with pytest.raises(TypeError, match="not JSON serializable"):
        outbox_emails_enqueue(
            drafts=[OutboxDraft(to=["sam@example.com"], context={"name": translation})],
            template=template,
            render_when_sent=True,
        )


@pytest.mark.django_db
def test_an_email_whose_templates_are_gone_fails_without_sending_and_keeps_its_context(
    email_templates, smtp_server, caplog
):
    template = email_templates(IN_LANGUAGE)
    [email_id] = outbox_emails_enqueue(
        drafts=drafts()[:1], template=template, render_when_sent=True
    )
    OutboxEmail.objects.filter(pk=email_id).update(template="tests/email/gone")

    with caplog.at_level(logging.ERROR, logger="notifications.sending"):
        assert outbox_email_send(email_id=email_id) is False

    email = OutboxEmail.objects.get(pk=email_id)
    assert email.status == OutboxEmail.Status.FAILED
    assert email.last_error.startswith("TemplateDoesNotExist: tests/email/gone")
    assert email.context == {"name": "Sam <b>", "reference": "Q1"}
    assert smtp_server.messages == []
    assert [r.getMessage() for r in caplog.records if r.name == "notifications.sending"] == [
        f"Outbox email {email_id} could not be rendered, marked failed"
    ]


@pytest.mark.django_db
def test_an_email_whose_worker_died_after_rendering_it_is_sent_the_same_once_the_claim_runs_out(
    email_templates, smtp_server, settings
):
    template = email_templates(IN_LANGUAGE)
    [email_id] = outbox_emails_enqueue(
        drafts=drafts()[1:], template=template, render_when_sent=True
    )
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox_claim.DyingBackend"
    started = timezone.now()
    with pytest.raises(WorkerKilledMidSend):
        outbox_email_send(email_id=email_id)

    # The claim was committed with the rendering: the row says who holds it, and what it is.
    email = OutboxEmail.objects.get(pk=email_id)
    assert (email.status, email.attempts, email.subject, email.context) == (
        OutboxEmail.Status.SENDING,
        1,
        "Q2 & co, in cy",
        None,
    )
    assert email.next_attempt_at >= started + claim_timeout()

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with time_machine.travel(email.next_attempt_at + datetime.timedelta(seconds=1)):
        assert outbox_email_send(email_id=email_id) is True
    [message] = smtp_server.messages
    assert message["Subject"] == "Q2 & co, in cy"


@pytest.mark.django_db
def test_an_email_forgotten_before_it_was_rendered_keeps_no_context(email_templates):
    template = email_templates(IN_LANGUAGE)
    [email_id] = outbox_emails_enqueue(
        drafts=drafts()[:1], template=template, render_when_sent=True
    )
    OutboxEmail.objects.filter(pk=email_id).update(
        status=OutboxEmail.Status.FAILED, forget_after="2020-01-01T00:00Z"
    )

    assert outbox_emails_forget() == 1

    email = OutboxEmail.objects.get(pk=email_id)
    assert (email.to, email.subject, email.context) == ([FORGOTTEN], FORGOTTEN, None)


@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_and_delivers_each_email_once(celery_worker, smtp_server, email_templates):
    template = email_templates(IN_LANGUAGE)

    with transaction.atomic():
        outbox_emails_enqueue(drafts=drafts(), template=template, render_when_sent=True)

    wait_until(lambda: OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 2)
    wait_until_worker_idle()
    assert sorted((m["X-Envelope-To"], m["Subject"]) for m in smtp_server.messages) == [
        ("gwen@example.com", "Q2 & co, in cy"),
        ("sam@example.com", "Q1 & co, in en-gb"),
    ]
