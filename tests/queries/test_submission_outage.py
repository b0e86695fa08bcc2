"""Nothing a resident submits is lost: with Redis (cache and broker) and the mail server all
down, the query is committed and its confirmation waits in the outbox; once they are back,
the periodic resend delivers it exactly once through a real worker."""

import datetime
import time

import pytest
import time_machine
from django.urls import reverse

from notifications.models import OutboxEmail
from notifications.tasks import resend_unsent_emails
from queries.models import Query
from tests.factories import AssignmentFactory
from tests.fixtures.celery_worker import running_worker, wait_until_worker_idle
from tests.ports import unused_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_submission_survives_redis_and_mail_outage_and_is_delivered_once(
    client, settings, smtp_server
):
    neighbourhood = AssignmentFactory().neighbourhood
    working = {
        "CACHES": settings.CACHES,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_PORT": settings.EMAIL_PORT,
    }
    down = f"redis://127.0.0.1:{unused_port()}/0"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": down,
            "OPTIONS": {"socket_connect_timeout": 1},
        },
    }
    settings.CELERY_BROKER_URL = down
    settings.EMAIL_PORT = unused_port()

    response = client.post(
        reverse("queries:contact", kwargs={"slug": neighbourhood.slug}),
        {
            "topic": "road_safety",
            "message": "Cars race along Fox Lane after midnight.",
            "name": "Sam Resident",
            "email": "sam@example.com",
            "contact_preference": "email",
            "consent": "on",
            "website": "",
        },
    )

    assert response.status_code == 302
    query = Query.objects.get()
    email = OutboxEmail.objects.get(query_link__query=query, to=["sam@example.com"])
    notice = OutboxEmail.objects.exclude(pk=email.pk).get(query_link__query=query)
    assert email.status == notice.status == OutboxEmail.Status.PENDING
    assert smtp_server.messages == []

    for name, value in working.items():
        setattr(settings, name, value)
    with (
        running_worker(),
        time_machine.travel(
            datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=2), tick=True
        ),
    ):
        resend_unsent_emails.delay()
        resend_unsent_emails.delay()
        deadline = time.monotonic() + 30
        while len(smtp_server.messages) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        wait_until_worker_idle()

    # The resident's confirmation and the named officer's notice, each once.
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == sorted(
        [*email.to, *notice.to]
    )
    for message, body in zip(smtp_server.messages, smtp_server.bodies(), strict=True):
        assert query.reference in message["Subject"] + body
    for row in (email, notice):
        row.refresh_from_db()
        assert row.status == OutboxEmail.Status.SENT
