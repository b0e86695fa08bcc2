"""Alerts' services: signing up with double opt-in, recording changes once, sending each
subscriber a change at most once, the daily digest, and deleting what is no longer needed."""

import datetime
import threading

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection

from alerts import changes, sending, subscriptions
from alerts.demo import seed_subscribers
from alerts.models import AlertChange, AlertDelivery, Subscriber
from alerts.tasks import send_after_commit
from config import celery_app
from config.dates import LONDON
from config.limits import token_hash
from engagement.models import Priority, Survey
from engagement.priorities import priority_create, priority_update
from meetings import recurrence as rules
from meetings.models import Event
from meetings.services import events as event_services
from meetings.services import series as series_services
from notifications.models import OutboxEmail
from notifications.services import OutboxDraft, outbox_emails_enqueue
from notifications.tasks import send_outbox_emails
from officers.models import Assignment
from tests.factories import (
    AssignmentFactory,
    NeighbourhoodFactory,
    OfficerFactory,
)
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Monday 14 September 2026, 9am in London (BST).
NOW = datetime.datetime(2026, 9, 14, 9, tzinfo=LONDON)
DAILY = Subscriber.Frequency.DAILY
IMMEDIATE = Subscriber.Frequency.IMMEDIATE


@pytest.fixture
def other_area():
    return NeighbourhoodFactory(name="Alvaston", slug="alvaston")


def subscriber(email: str, *areas, frequency=IMMEDIATE, confirmed=True, **flags) -> Subscriber:
    """A subscriber as confirming leaves one (digest covered from a day ago)."""
    made = Subscriber.objects.create(
        email=email,
        frequency=frequency,
        confirmed_at=NOW - datetime.timedelta(days=30) if confirmed else None,
        digest_covered_until=NOW - datetime.timedelta(days=1) if confirmed else None,
        **flags,
    )
    made.neighbourhoods.set(areas)
    return made


def record(area, key: str = "event:1:0", kind=AlertChange.Kind.EVENT) -> AlertChange:
    return changes.alert_change_record(
        neighbourhood=area,
        kind=kind,
        key=key,
        texts=lambda: (
            f"New event in {area.name}: Beat meeting",
            "When: Tuesday 6 October 2026 at 7pm",
        ),
        path="/events/1/",
    )


def recipients() -> list[str]:
    return sorted(address for email in OutboxEmail.objects.all() for address in email.to)


def choices(*areas, **changes) -> subscriptions.Choices:
    return subscriptions.Choices(neighbourhood_ids=tuple(a.pk for a in areas), **changes)


# --- Signing up -------------------------------------------------------------------------------


def test_a_sign_up_is_pending_and_emails_a_confirmation_link(area):
    token = subscriptions.subscriber_subscribe(email=" Sam@Example.com ", choices=choices(area))

    sam = Subscriber.objects.get()
    assert sam.email == "sam@example.com"
    assert sam.confirmed_at is None
    assert sam.confirm_token_hash == token_hash(token)
    assert token not in str(Subscriber.objects.values().get())
    email = OutboxEmail.objects.get()
    assert email.to == ["sam@example.com"]
    assert email.subject == "Confirm your email alerts for Normanton"
    assert f"/alerts/confirm/{token}/" in email.body_text
    assert "/alerts/manage/" in email.body_text
    assert email.redact_after_send


def test_an_unconfirmed_sign_up_gets_no_alerts(area):
    subscriptions.subscriber_subscribe(email="sam@example.com", choices=choices(area))
    OutboxEmail.objects.all().delete()
    change = record(area)

    assert sending.alert_change_send(change_id=change.pk) == 0
    assert not OutboxEmail.objects.exists()


def test_confirming_applies_the_choices(area, other_area):
    token = subscriptions.subscriber_subscribe(
        email="sam@example.com",
        choices=choices(area, other_area, priorities=False, frequency=DAILY),
    )

    sam = subscriptions.subscriber_confirm(token=token)

    assert sam.confirmed_at == NOW
    assert sam.digest_covered_until == NOW
    assert set(sam.neighbourhoods.all()) == {area, other_area}
    assert (sam.events, sam.priorities, sam.surveys, sam.frequency) == (True, False, True, DAILY)
    assert sam.confirm_token_hash is None
    assert sam.pending_choices is None


def test_a_confirmation_link_works_once(area):
    token = subscriptions.subscriber_subscribe(email="sam@example.com", choices=choices(area))
    subscriptions.subscriber_confirm(token=token)

    with pytest.raises(Subscriber.DoesNotExist):
        subscriptions.subscriber_confirm(token=token)


def test_an_unknown_confirmation_link_is_refused(area):
    with pytest.raises(Subscriber.DoesNotExist):
        subscriptions.subscriber_confirm(token="not-a-token-anyone-was-sent")


def test_a_confirmation_link_expires(area, settings):
    token = subscriptions.subscriber_subscribe(email="sam@example.com", choices=choices(area))
    later = NOW + datetime.timedelta(days=settings.CONFIRMATION_LINK_DAYS, seconds=1)

    with pytest.raises(ValidationError) as refused:
        subscriptions.subscriber_confirm(token=token, now=later)

    assert refused.value.code == subscriptions.EXPIRED
    assert Subscriber.objects.get().confirmed_at is None


def test_signing_up_again_changes_nothing_until_confirmed(area, other_area):
    sam = subscriber("sam@example.com", area)

    token = subscriptions.subscriber_subscribe(
        email="sam@example.com", choices=choices(other_area, events=False)
    )

    sam.refresh_from_db()
    assert list(sam.neighbourhoods.all()) == [area]
    assert sam.events
    assert OutboxEmail.objects.count() == 1  # a new confirmation link, as for a new address
    subscriptions.subscriber_confirm(token=token)
    sam.refresh_from_db()
    assert list(sam.neighbourhoods.all()) == [other_area]
    assert not sam.events
    assert sam.confirmed_at == NOW - datetime.timedelta(days=30)


@pytest.mark.parametrize(
    ("email", "picked", "changes", "field"),
    [
        ("sam@example.com", False, {}, "neighbourhoods"),
        (
            "sam@example.com",
            True,
            {"events": False, "priorities": False, "surveys": False},
            "topics",
        ),
        ("sam@example.com", True, {"frequency": "hourly"}, "frequency"),
        ("not an address", True, {}, "email"),
    ],
)
def test_a_sign_up_needs_an_address_a_neighbourhood_a_topic_and_a_frequency(
    area, email, picked, changes, field
):
    chosen = choices(area, **changes) if picked else choices(**changes)
    with pytest.raises(ValidationError) as refused:
        subscriptions.subscriber_subscribe(email=email, choices=chosen)

    assert field in refused.value.error_dict
    assert not Subscriber.objects.exists()


def test_a_neighbourhood_that_does_not_exist_is_not_a_choice(area):
    with pytest.raises(ValidationError) as refused:
        subscriptions.subscriber_subscribe(
            email="sam@example.com", choices=subscriptions.Choices(neighbourhood_ids=(987654,))
        )
    assert "neighbourhoods" in refused.value.error_dict


# --- Links --------------------------------------------------------------------------------------


def test_a_manage_link_carries_the_subscriber(area):
    sam = subscriber("sam@example.com", area)
    assert subscriptions.subscriber_id_for_manage(subscriptions.manage_signature(sam.pk)) == sam.pk


def test_an_altered_manage_link_is_refused(area):
    sam = subscriber("sam@example.com", area)
    signed = subscriptions.manage_signature(sam.pk)
    _pk, signature = signed.split(":", 1)

    with pytest.raises(signing.BadSignature):
        subscriptions.subscriber_id_for_manage(f"{sam.pk + 1}:{signature}")


def test_an_unsubscribe_link_does_not_open_the_manage_page(area):
    sam = subscriber("sam@example.com", area)
    with pytest.raises(signing.BadSignature):
        subscriptions.subscriber_id_for_manage(subscriptions.unsubscribe_signature(sam.pk))


# --- Unsubscribing ------------------------------------------------------------------------------


def test_an_unsubscribed_address_gets_nothing_more(area):
    sam = subscriber("sam@example.com", area)
    assert subscriptions.subscriber_unsubscribe(subscriber_id=sam.pk)
    change = record(area)

    assert sending.alert_change_send(change_id=change.pk) == 0
    assert not OutboxEmail.objects.exists()


def test_unsubscribing_twice_is_harmless(area):
    sam = subscriber("sam@example.com", area)
    subscriptions.subscriber_unsubscribe(subscriber_id=sam.pk)

    assert not subscriptions.subscriber_unsubscribe(subscriber_id=sam.pk)
    assert not subscriptions.subscriber_unsubscribe(subscriber_id=sam.pk + 100)


def test_signing_up_again_after_unsubscribing_starts_alerts_once_confirmed(area):
    sam = subscriber("sam@example.com", area)
    subscriptions.subscriber_unsubscribe(subscriber_id=sam.pk)
    token = subscriptions.subscriber_subscribe(email="sam@example.com", choices=choices(area))

    subscriptions.subscriber_confirm(token=token)

    sam.refresh_from_db()
    assert sam.unsubscribed_at is None
    assert Subscriber.objects.active().filter(pk=sam.pk).exists()


def test_managing_changes_the_choices(area, other_area):
    sam = subscriber("sam@example.com", area)

    subscriptions.subscriber_update(subscriber=sam, choices=choices(other_area, frequency=DAILY))

    sam.refresh_from_db()
    assert list(sam.neighbourhoods.all()) == [other_area]
    assert sam.frequency == DAILY
    assert sam.digest_covered_until == NOW  # what came before was sent as it happened


def test_an_unsubscribed_address_cannot_be_managed(area):
    sam = subscriber("sam@example.com", area, unsubscribed_at=NOW)
    with pytest.raises(ValidationError):
        subscriptions.subscriber_update(subscriber=sam, choices=choices(area))


# --- Recording changes --------------------------------------------------------------------------


def test_a_change_is_recorded_once_per_key(area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = record(area, key="event:7:0")
        again = record(area, key="event:7:0")
        send_after_commit(first)
        send_after_commit(again)

    assert first is not None
    assert again is None
    assert AlertChange.objects.count() == 1
    assert len(callbacks) == 1  # one send enqueued, for the new change


@pytest.fixture
def priya(area, officer_account):
    officer = OfficerFactory(user=officer_account)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return officer_account


def event_details(area, **changes) -> dict:
    start = datetime.datetime(2026, 10, 6, 19, tzinfo=LONDON)
    return {
        "neighbourhood": area,
        "event_type": Event.Type.BEAT_MEETING,
        "title": "Normanton beat meeting",
        "venue_name": "Normanton Community Centre",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=1),
        **changes,
    }


def test_a_new_event_is_recorded(area, priya):
    event = event_services.event_create(user=priya, data=event_details(area))

    change = AlertChange.objects.get()
    assert changes.alert_event_created(event=event) is None  # recorded once, however often told
    assert AlertChange.objects.count() == 1
    assert change.title == "New event in Normanton: Normanton beat meeting"
    assert "Tuesday 6 October 2026 at 7pm" in change.summary
    assert change.path == event.get_absolute_url()


def test_a_moved_event_is_recorded_with_its_sequence(area, priya):
    event = event_services.event_create(user=priya, data=event_details(area))
    event_services.event_update(user=priya, event=event, data={"venue_name": "Library"})

    moved = AlertChange.objects.latest("pk")
    assert moved.title.startswith("Event changed in Normanton")
    # The same move told again is not a new change; a second move is.
    assert changes.alert_event_changed(event=event, fields=["venue_name"]) is None
    event_services.event_update(user=priya, event=event, data={"venue_name": "Church hall"})
    assert AlertChange.objects.count() == 3


def test_a_new_title_alone_is_not_worth_an_alert(area, priya):
    event = event_services.event_create(user=priya, data=event_details(area))
    event_services.event_update(user=priya, event=event, data={"title": "Residents' meeting"})

    assert AlertChange.objects.count() == 1


def test_a_cancelled_event_is_recorded(area, priya):
    event = event_services.event_create(user=priya, data=event_details(area))
    event_services.event_cancel(user=priya, event=event, reason="The hall is closed.")

    cancelled = AlertChange.objects.latest("pk")
    assert cancelled.title.startswith("Event cancelled in Normanton")
    assert "The hall is closed." in cancelled.summary


def test_a_new_series_is_announced_once_not_per_meeting(area, priya):
    data = event_details(area)
    del data["starts_at"], data["ends_at"]
    series = series_services.series_create(
        user=priya,
        data={
            **data,
            "pattern": rules.Pattern(frequency="monthly", weekday=1, ordinal=1),
            "first_date": datetime.date(2026, 10, 1),
            "start_time": datetime.time(19),
            "end_time": datetime.time(20),
        },
    )

    assert Event.objects.filter(series=series).count() >= 3
    change = AlertChange.objects.get()
    assert change.key == f"series:{series.pk}:new"
    assert change.title == "New repeating meeting in Normanton: Normanton beat meeting"
    first = Event.objects.filter(series=series).earliest("starts_at")
    assert change.path == first.get_absolute_url()


def priority_data(**changes) -> dict:
    return {
        "issue": "Speeding on Fox Lane",
        "action": "Speed checks each week.",
        "status": Priority.Status.OPEN,
        "issue_date": NOW.date(),
        "action_date": None,
        "review_date": None,
        **changes,
    }


def test_a_new_priority_is_recorded(area, priya):
    priority = priority_create(user=priya, neighbourhood=area, data=priority_data())

    change = AlertChange.objects.get()
    assert change.kind == AlertChange.Kind.PRIORITY
    assert change.key.startswith(f"priority:{priority.pk}:")
    assert change.title == "New local priority in Normanton: Speeding on Fox Lane"


def test_a_priority_whose_status_changes_is_recorded(area, priya):
    priority = priority_create(user=priya, neighbourhood=area, data=priority_data())
    priority_update(
        user=priya, priority=priority, data=priority_data(status=Priority.Status.IN_PROGRESS)
    )

    assert AlertChange.objects.count() == 2
    assert AlertChange.objects.latest("pk").title.startswith("Priority updated in Normanton")


def test_a_priority_saved_with_the_same_status_and_action_is_not_recorded(area, priya):
    priority = priority_create(user=priya, neighbourhood=area, data=priority_data())
    review = NOW.date() + datetime.timedelta(days=30)
    priority_update(user=priya, priority=priority, data=priority_data(review_date=review))

    assert AlertChange.objects.count() == 1


def test_open_surveys_are_recorded_once(area):
    today = NOW.date()
    open_one = Survey.objects.create(
        neighbourhood=area, opens_on=today, closes_on=today + datetime.timedelta(days=14)
    )
    Survey.objects.create(  # not open yet
        neighbourhood=area,
        opens_on=today + datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=14),
    )
    Survey.objects.create(  # closed
        neighbourhood=area,
        opens_on=today - datetime.timedelta(days=14),
        closes_on=today - datetime.timedelta(days=1),
    )

    assert len(changes.survey_openings_record()) == 1
    assert changes.survey_openings_record() == []
    change = AlertChange.objects.get()
    assert change.key == f"survey:{open_one.pk}:opened"
    assert change.title == "Have your say in Normanton: What should we focus on next?"


# --- Sending as it happens ----------------------------------------------------------------------


def test_only_subscribers_of_the_neighbourhood_who_want_that_kind_are_sent_it(area, other_area):
    subscriber("wants@example.com", area)
    subscriber("both@example.com", area, other_area)
    subscriber("elsewhere@example.com", other_area)
    subscriber("no-events@example.com", area, events=False)
    subscriber("daily@example.com", area, frequency=DAILY)
    subscriber("unconfirmed@example.com", area, confirmed=False)
    subscriber("gone@example.com", area, unsubscribed_at=NOW)
    change = record(area)

    assert sending.alert_change_send(change_id=change.pk) == 2

    assert recipients() == ["both@example.com", "wants@example.com"]
    change.refresh_from_db()
    assert change.sent_at == NOW
    assert AlertDelivery.objects.filter(change=change).count() == 2


def test_an_alert_says_the_neighbourhood_and_carries_its_links(area, settings):
    sam = subscriber("sam@example.com", area)
    change = record(area)
    sending.alert_change_send(change_id=change.pk)

    email = OutboxEmail.objects.get()
    assert email.subject == "New event in Normanton: Beat meeting"
    assert f"{settings.SITE_URL}/events/1/" in email.body_text
    assert subscriptions.manage_url(sam.pk) in email.body_text
    assert subscriptions.unsubscribe_url(sam.pk) in email.body_text
    assert subscriptions.unsubscribe_url(sam.pk) in email.body_html


def test_every_alert_email_has_one_click_unsubscribe_headers(area):
    people = [subscriber(f"resident{n}@example.com", area) for n in range(3)]
    change = record(area)
    sending.alert_change_send(change_id=change.pk, batch_size=2)

    emails = OutboxEmail.objects.order_by("pk")
    assert emails.count() == 3
    for person, email in zip(people, emails, strict=True):
        assert email.headers == {
            "List-Unsubscribe": f"<{subscriptions.unsubscribe_url(person.pk)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        assert email.headers["List-Unsubscribe"].startswith("<http")


def test_sending_a_change_twice_sends_nobody_a_second_email(area):
    for n in range(5):
        subscriber(f"resident{n}@example.com", area)
    change = record(area)
    sending.alert_change_send(change_id=change.pk, batch_size=2)

    assert sending.alert_change_send(change_id=change.pk, batch_size=2) == 0
    # A retry that finds the change unsent (a worker died before marking it) skips them too.
    AlertChange.objects.filter(pk=change.pk).update(sent_at=None)
    assert sending.alert_change_send(change_id=change.pk, batch_size=2) == 0
    assert OutboxEmail.objects.count() == 5


def test_a_send_cut_short_carries_on_where_it_stopped(area):
    for n in range(4):
        subscriber(f"resident{n}@example.com", area)
    change = record(area)
    first = Subscriber.objects.order_by("pk").first()
    # An earlier worker's first batch committed before it died.
    AlertDelivery.objects.create(subscriber=first, change=change)

    assert sending.alert_change_send(change_id=change.pk) == 3
    assert first.email not in recipients()


def test_the_periodic_run_sends_changes_left_unsent(area):
    subscriber("sam@example.com", area)
    record(area, key="event:1:0")
    record(area, key="event:2:0")

    from alerts.tasks import send_alerts

    assert send_alerts() == 2
    assert not AlertChange.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_change_queued_under_the_old_task_name_is_still_sent(celery_worker):
    """A change queued when alerts moved from the neighbourhoods app is still sent."""
    area = NeighbourhoodFactory()
    subscriber("sam@example.com", area)
    change = record(area)

    celery_app.send_task("neighbourhoods.tasks.send_alerts", args=[change.pk])

    wait_until(lambda: AlertChange.objects.get(pk=change.pk).sent_at is not None)
    assert recipients() == ["sam@example.com"]


# 25 subscribers in batches of 10: 10, 10 and 5; 100: ten batches, then an empty one.
@pytest.mark.parametrize(("subscribers", "batches"), [(25, 3), (100, 11)])
def test_sending_takes_a_fixed_number_of_statements_per_batch(
    area, subscribers, batches, django_assert_max_num_queries
):
    people = Subscriber.objects.bulk_create(
        Subscriber(email=f"r{n}@example.com", confirmed_at=NOW) for n in range(subscribers)
    )
    Subscriber.neighbourhoods.through.objects.bulk_create(
        Subscriber.neighbourhoods.through(subscriber_id=p.pk, neighbourhood_id=area.pk)
        for p in people
    )
    change = record(area)

    # Per batch: lock the change, select subscribers, insert emails, insert deliveries, and
    # the savepoint and its release; once: mark the change sent.
    with django_assert_max_num_queries(6 * batches + 1):
        assert sending.alert_change_send(change_id=change.pk, batch_size=10) == subscribers


# --- The daily digest ---------------------------------------------------------------------------


def test_a_daily_subscriber_gets_one_digest_listing_the_changes(area, other_area):
    subscriber("daily@example.com", area, other_area, frequency=DAILY)
    record(area, key="event:1:0")
    record(other_area, key="priority:1:1", kind=AlertChange.Kind.PRIORITY)
    record(other_area, key="event:2:0")

    assert sending.alert_digests_send(now=NOW + datetime.timedelta(hours=1)) == 1

    email = OutboxEmail.objects.get()
    assert email.to == ["daily@example.com"]
    assert email.subject == "Daily alerts for Normanton and Alvaston: 2 events and 1 priority"
    assert email.body_text.count("/events/1/") == 3
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert AlertDelivery.objects.count() == 3


def test_a_digest_leaves_out_what_the_subscriber_does_not_want(area, other_area):
    subscriber("daily@example.com", area, frequency=DAILY, events=False)
    record(area, key="event:1:0")
    record(other_area, key="priority:1:1", kind=AlertChange.Kind.PRIORITY)

    assert sending.alert_digests_send() == 0
    assert not OutboxEmail.objects.exists()


def test_nothing_new_means_no_digest(area):
    subscriber("daily@example.com", area, frequency=DAILY)
    record(area)
    sending.alert_digests_send(now=NOW + datetime.timedelta(hours=1))

    later = NOW + datetime.timedelta(days=1)
    assert sending.alert_digests_send(now=later) == 0
    assert OutboxEmail.objects.count() == 1


def test_a_digest_lists_only_changes_since_the_last_one(area):
    sam = subscriber("daily@example.com", area, frequency=DAILY)
    with time_machine.travel(NOW - datetime.timedelta(days=3), tick=False):
        record(area, key="event:old:0")
    record(area, key="event:new:0")

    sending.alert_digests_send(now=NOW + datetime.timedelta(hours=1))

    assert "Beat meeting" in OutboxEmail.objects.get().body_text
    assert list(AlertDelivery.objects.values_list("change__key", flat=True)) == ["event:new:0"]
    sam.refresh_from_db()
    assert sam.digest_covered_until == NOW + datetime.timedelta(hours=1)


def test_daily_subscribers_are_not_sent_changes_as_they_happen_nor_immediate_ones_a_digest(area):
    subscriber("daily@example.com", area, frequency=DAILY)
    subscriber("now@example.com", area)
    change = record(area)
    sending.alert_change_send(change_id=change.pk)
    sending.alert_digests_send(now=NOW + datetime.timedelta(hours=1))

    assert recipients() == ["daily@example.com", "now@example.com"]


@pytest.mark.parametrize(("subscribers", "batches"), [(25, 3), (100, 11)])
def test_the_digest_takes_a_fixed_number_of_statements_per_batch(
    area, other_area, subscribers, batches, django_assert_max_num_queries
):
    people = Subscriber.objects.bulk_create(
        Subscriber(
            email=f"r{n}@example.com",
            frequency=DAILY,
            confirmed_at=NOW - datetime.timedelta(days=2),
            digest_covered_until=NOW - datetime.timedelta(days=1),
        )
        for n in range(subscribers)
    )
    through = Subscriber.neighbourhoods.through
    through.objects.bulk_create(
        through(subscriber_id=p.pk, neighbourhood_id=n.pk)
        for p in people
        for n in (area, other_area)
    )
    for number in range(3):
        record(area, key=f"event:{number}:0")
        record(other_area, key=f"priority:{number}:1", kind=AlertChange.Kind.PRIORITY)

    # Per batch: subscribers, their changes, emails, deliveries, covered-until, and the
    # savepoint and its release.
    with django_assert_max_num_queries(7 * batches):
        queued = sending.alert_digests_send(now=NOW + datetime.timedelta(hours=1), batch_size=10)
    assert queued == subscribers
    assert AlertDelivery.objects.count() == subscribers * 6


# --- Two workers at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_one_change_send_each_subscriber_once(area):
    people = Subscriber.objects.bulk_create(
        Subscriber(email=f"r{n}@example.com", confirmed_at=NOW) for n in range(60)
    )
    Subscriber.neighbourhoods.through.objects.bulk_create(
        Subscriber.neighbourhoods.through(subscriber_id=p.pk, neighbourhood_id=area.pk)
        for p in people
    )
    change = AlertChange.objects.create(
        neighbourhood=area, kind="event", key="event:1:0", title="New event", path="/events/1/"
    )
    start = threading.Barrier(2)
    errors = []

    def worker() -> None:
        try:
            start.wait()
            for _ in range(3):  # and each tries again, as a retry would
                sending.alert_change_send(change_id=change.pk, batch_size=7)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    sent = recipients()
    assert len(sent) == 60
    assert len(set(sent)) == 60
    assert AlertChange.objects.get().sent_at is not None


# --- Bulk outbox --------------------------------------------------------------------------------


def test_many_emails_are_written_in_one_insert_and_one_enqueue(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    drafts = [
        OutboxDraft(
            to=[f"r{n}@example.com"],
            context={"change": {"title": f"Change {n}", "url": "x"}},
            headers={"X-Test": str(n)},
        )
        for n in range(50)
    ]
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(1):
        ids = outbox_emails_enqueue(template="alerts/email/alert_change", drafts=drafts)

    assert len(ids) == 50
    assert len(callbacks) == 1
    assert OutboxEmail.objects.get(pk=ids[7]).subject == "Change 7"


def test_a_batch_of_outbox_emails_is_sent_by_one_task(area, smtp_server):
    for n in range(3):
        subscriber(f"resident{n}@example.com", area)
    change = record(area)
    sending.alert_change_send(change_id=change.pk)
    ids = list(OutboxEmail.objects.values_list("pk", flat=True))

    assert send_outbox_emails(ids) == 3
    assert send_outbox_emails(ids) == 0  # sent at most once

    assert len(smtp_server.messages) == 3
    message = smtp_server.messages[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long header is folded onto a second line: the value starts after the whitespace.
    assert message["List-Unsubscribe"].strip().startswith("<http")


# --- Deleting what is no longer needed ----------------------------------------------------------


def test_old_unconfirmed_and_unsubscribed_addresses_are_deleted(area, settings):
    days = settings.CONFIRMATION_LINK_DAYS
    old = NOW - datetime.timedelta(days=days, minutes=1)
    fresh = NOW - datetime.timedelta(days=days - 1)
    subscriber("stale@example.com", area, confirmed=False, confirm_sent_at=old)
    subscriber("fresh@example.com", area, confirmed=False, confirm_sent_at=fresh)
    gone = subscriber("gone@example.com", area, unsubscribed_at=NOW)
    subscriber("kept@example.com", area)
    AlertDelivery.objects.create(subscriber=gone, change=record(area))

    assert subscriptions.subscribers_purge() == 2

    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "fresh@example.com",
        "kept@example.com",
    ]
    assert not AlertDelivery.objects.exists()


def test_an_unused_confirmation_link_of_a_subscriber_is_forgotten(area, settings):
    sam = subscriber("sam@example.com", area)
    subscriptions.subscriber_subscribe(email="sam@example.com", choices=choices(area))
    later = NOW + datetime.timedelta(days=settings.CONFIRMATION_LINK_DAYS + 1)

    subscriptions.subscribers_purge(now=later)

    sam.refresh_from_db()
    assert sam.confirm_token_hash is None
    assert sam.pending_choices is None
    assert Subscriber.objects.active().filter(pk=sam.pk).exists()


def test_the_demo_subscribers_can_be_seeded_twice():
    areas = {code: NeighbourhoodFactory(code=code) for code in ("DC01", "DC02", "DC03")}
    seed_subscribers(areas)
    seed_subscribers(areas)

    assert Subscriber.objects.count() == 3
    assert Subscriber.objects.active().count() == 2
    digest = Subscriber.objects.get(frequency=DAILY)
    assert digest.neighbourhoods.count() == 3
