"""Every public form's rate limit holds for its whole window on every cache the portal supports:
Redis (`REDIS_URL`) and the file cache of the embedded default (`make run`)."""

import datetime
import logging

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from alerts.subscriptions import subscriber_rate_limit_hit
from config.limits import retry_message
from engagement.answers import have_your_say_rate_limit_hit
from meetings.services.registrations import registration_rate_limit_hit
from queries.models import Query
from queries.services.resident import (
    new_link_rate_limit_message,
    query_rate_limit_hit,
    rate_limit_message,
)
from tests.factories import AssignmentFactory
from tests.ports import unused_port

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 1, 12, 9, 0, tzinfo=datetime.UTC)
STEP = datetime.timedelta(minutes=6)

# Each public form's limit: the function its view calls and the settings that set it.
LIMITS = {
    "queries": (query_rate_limit_hit, "QUERY_RATE_LIMIT_PER_IP", "QUERY_RATE_LIMIT_PER_EMAIL"),
    "registrations": (
        registration_rate_limit_hit,
        "REGISTRATION_RATE_LIMIT_PER_IP",
        "REGISTRATION_RATE_LIMIT_PER_EMAIL",
    ),
    "have your say": (
        have_your_say_rate_limit_hit,
        "HAVE_YOUR_SAY_RATE_LIMIT_PER_IP",
        "HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL",
    ),
    "alerts": (
        subscriber_rate_limit_hit,
        "HAVE_YOUR_SAY_RATE_LIMIT_PER_IP",
        "HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL",
    ),
}


@pytest.fixture(params=["redis", "file", "redis stopped"])
def each_cache(request, settings, tmp_path):
    """The test runs on the suite's Redis, on a file cache like `make run`'s, and with Redis
    stopped, when the limits count in the database cache."""
    if request.param == "file":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            },
        }
    elif request.param == "redis stopped":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                **settings.CACHES["default"],
                "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            },
        }
    if request.param != "redis stopped":
        cache.clear()
    yield request.param
    if request.param != "redis stopped":
        cache.clear()


def hits_spread_over(count: int, hit, inputs) -> list[datetime.datetime | None]:
    """`count` submissions six minutes apart, each at its own moment on the clock."""
    answers = []
    for number in range(count):
        moment = START + number * STEP
        with time_machine.travel(moment, tick=False):
            answers.append(hit(now=moment, **inputs(number)))
    return answers


@pytest.mark.parametrize("form", LIMITS)
def test_limit_per_ip_holds_for_the_whole_window(form, each_cache, settings):
    hit, per_ip, _ = LIMITS[form]
    setattr(settings, per_ip, 5)
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 3600

    answers = hits_spread_over(
        7, hit, inputs=lambda n: {"ip": "192.0.2.1", "email": f"r{n}@example.com"}
    )

    assert answers[:5] == [None] * 5
    window_end = START + datetime.timedelta(hours=1)
    assert answers[5:] == [window_end, window_end]


@pytest.mark.parametrize("form", LIMITS)
def test_limit_per_email_holds_for_the_whole_window(form, each_cache, settings):
    hit, _, per_email = LIMITS[form]
    setattr(settings, per_email, 3)
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 3600

    answers = hits_spread_over(
        4, hit, inputs=lambda n: {"ip": f"192.0.2.{n + 1}", "email": "Sam@example.com"}
    )

    assert answers == [None, None, None, START + datetime.timedelta(hours=1)]


@pytest.mark.parametrize("form", LIMITS)
def test_a_new_window_opens_when_the_old_one_ends(form, each_cache, settings):
    hit, per_ip, _ = LIMITS[form]
    setattr(settings, per_ip, 1)
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 600
    first = START
    later = START + datetime.timedelta(seconds=601)

    with time_machine.travel(first, tick=False):
        assert hit(ip="192.0.2.1", email="a@example.com", now=first) is None
    with time_machine.travel(later, tick=False):
        assert hit(ip="192.0.2.1", email="b@example.com", now=later) is None
        assert hit(ip="192.0.2.1", email="c@example.com", now=later) is not None


@pytest.mark.parametrize("form", LIMITS)
def test_a_new_window_opens_at_the_very_second_the_old_one_ends(form, each_cache, settings):
    """The window is half-open: 600 seconds after the first submission is already the next
    window, so a resident told "after 9:10am" may send at 9:10am."""
    hit, per_ip, _ = LIMITS[form]
    setattr(settings, per_ip, 1)
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 600
    window_end = START + datetime.timedelta(seconds=600)

    with time_machine.travel(START, tick=False):
        assert hit(ip="192.0.2.1", email="a@example.com", now=START) is None
        assert hit(ip="192.0.2.1", email="b@example.com", now=START) == window_end
    with time_machine.travel(window_end, tick=False):
        assert hit(ip="192.0.2.1", email="c@example.com", now=window_end) is None


def test_a_counter_gone_before_its_window_ends_starts_a_new_window(settings, tmp_path, caplog):
    """The file cache of `make run` keeps the counter for whole seconds to its window's end, so
    it can go a moment before the window's start time does (a submission half a second into
    the window, another in its last quarter of a second): that submission starts a new window
    of its own, counted as its first, and the limit holds for the whole of that window.
    Times in seconds from 9am, a window of an hour, 3 submissions an hour per address:
    0 (1st), 0.5 (2nd: the counter now lasts to 3599.5), 3599.75 (the counter is gone: a new
    window to 7199.75, 1st), 3999.75 (2nd), 4399.75 (3rd), 4799.75 (4th: refused until
    7199.75)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
    }
    settings.QUERY_RATE_LIMIT_PER_IP = 3
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 3600
    offsets = [0, 0.5, 3599.75, 3999.75, 4399.75, 4799.75]

    answers = []
    with caplog.at_level(logging.WARNING):
        for number, offset in enumerate(offsets):
            moment = START + datetime.timedelta(seconds=offset)
            with time_machine.travel(moment, tick=False):
                answers.append(
                    query_rate_limit_hit(ip="192.0.2.1", email=f"r{number}@example.com", now=moment)
                )

    new_window_end = START + datetime.timedelta(seconds=7199.75)
    assert answers == [None, None, None, None, None, new_window_end]
    assert not [r.getMessage() for r in caplog.records if "rate limits" in r.getMessage()], (
        "the file cache counted every submission itself"
    )


def test_contact_form_refuses_the_sixth_query_in_an_hour_from_one_address(
    client, each_cache, settings
):
    """The reported case: six queries from one address in 30 minutes against 5 an hour."""
    settings.QUERY_RATE_LIMIT_PER_IP = 5
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 3600
    neighbourhood = AssignmentFactory().neighbourhood
    url = reverse("queries:contact", kwargs={"slug": neighbourhood.slug})
    statuses = []
    for number in range(6):
        with time_machine.travel(START + number * STEP, tick=False):
            response = client.post(
                url,
                {
                    "topic": "asb",
                    "message": "Young people gather by the shops at night and shout.",
                    "name": "Sam Resident",
                    "email": f"sam{number}@example.com",
                    "contact_preference": "email",
                    "consent": "on",
                    "website": "",
                },
                REMOTE_ADDR="192.0.2.1",
            )
            statuses.append(response.status_code)

    assert statuses == [302] * 5 + [429]
    assert "You can send another query after 10am" in response.content.decode()
    assert Query.objects.count() == 5


def test_a_query_goes_through_when_no_cache_can_count_it(client, settings, caplog):
    """Redis stopped and the database cache's table gone: nothing a resident sends is lost."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
        },
        settings.RATE_LIMIT_FALLBACK_CACHE: {
            **settings.CACHES[settings.RATE_LIMIT_FALLBACK_CACHE],
            "LOCATION": "no_such_table",
        },
    }
    neighbourhood = AssignmentFactory().neighbourhood

    with caplog.at_level(logging.WARNING):
        response = client.post(
            reverse("queries:contact", kwargs={"slug": neighbourhood.slug}),
            {
                "topic": "asb",
                "message": "Young people gather by the shops at night and shout.",
                "name": "Sam Resident",
                "email": "sam@example.com",
                "contact_preference": "email",
                "consent": "on",
                "website": "",
            },
        )

    assert response.status_code == 302
    assert Query.objects.count() == 1
    warning = next(r for r in caplog.records if "rate limits" in r.getMessage())
    assert warning.getMessage() == "Cache 'default' unreachable for queries rate limits"
    assert warning.exc_info, "the warning carries the error that made the cache unreachable"
    error = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert error.getMessage() == "No cache reachable: queries rate limits not applied"


@pytest.mark.parametrize("form", LIMITS)
def test_each_address_has_its_own_count(form, settings):
    hit, per_ip, _ = LIMITS[form]
    setattr(settings, per_ip, 1)
    cache.clear()

    answers = [hit(ip=f"192.0.2.{n}", email=f"r{n}@example.com", now=START) for n in range(1, 4)]
    cache.clear()

    assert answers == [None, None, None]


@pytest.mark.parametrize("form", LIMITS)
def test_submissions_without_an_email_address_are_counted_by_address_alone(form, settings):
    """A form sent with no email address (a code, a survey answer) has no email count: people
    on different networks leaving it empty do not share one."""
    hit, _, per_email = LIMITS[form]
    setattr(settings, per_email, 1)
    cache.clear()

    answers = [hit(ip=f"192.0.2.{n}", email="", now=START) for n in range(1, 4)]
    cache.clear()

    assert answers == [None, None, None]


def test_counting_in_redis_leaves_nothing_behind_after_the_window(settings):
    """Every counter Redis holds for a limit expires by the end of its window: a busy form does
    not fill Redis with counters that outlive their use."""
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 600
    cache.clear()
    for number in range(3):
        moment = START + datetime.timedelta(minutes=number)
        query_rate_limit_hit(ip="192.0.2.1", email=f"r{number}@example.com", now=moment)

    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    lifetimes = {key: client.ttl(key) for key in client.scan_iter()}
    cache.clear()
    assert lifetimes, "the limit counted nothing in Redis"
    assert all(0 < seconds <= 600 for seconds in lifetimes.values()), lifetimes


def test_counting_in_redis_runs_no_database_query(settings, django_assert_num_queries):
    """Only the database cache, used while Redis is down, needs a savepoint."""
    cache.clear()
    with django_assert_num_queries(0):
        answer = query_rate_limit_hit(ip="192.0.2.1", email="sam@example.com", now=START)
    cache.clear()
    assert answer is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "You can send another query after 10am. If it cannot wait, call 101"),
        (
            {"give_reference": True},
            "You can send another query after 10am. If it cannot wait, call 101 and give your"
            " reference",
        ),
        ({"call_if_urgent": False}, "You can send another query after 10am"),
    ],
    ids=["call", "call-with-reference", "no-call"],
)
def test_the_resident_over_a_limit_is_told_when_and_whom_to_call(settings, options, message):
    settings.FORCE_NON_EMERGENCY_NUMBER = "101"
    retry_at = START + datetime.timedelta(hours=1)

    assert retry_message(retry_at, what="send another query", now=START, **options) == message


def test_a_resident_told_to_wait_past_midnight_is_told_the_day(settings):
    """Monday 12 January 11:30pm (GMT, London and UTC agree), a window ending at 12:30am."""
    settings.FORCE_NON_EMERGENCY_NUMBER = "101"
    now = datetime.datetime(2026, 1, 12, 23, 30, tzinfo=datetime.UTC)
    retry_at = now + datetime.timedelta(hours=1)

    assert retry_message(retry_at, what="send another query", now=now) == (
        "You can send another query after 12:30am on Tuesday 13 January. If it cannot wait,"
        " call 101"
    )
    with time_machine.travel(now, tick=False):
        assert retry_message(retry_at, what="sign up again", call_if_urgent=False) == (
            "You can sign up again after 12:30am on Tuesday 13 January"
        )


@pytest.mark.parametrize(
    ("message", "welsh"),
    [
        (
            rate_limit_message,
            "Gallwch anfon ymholiad arall ar ôl 10am. Os na all aros, ffoniwch 101",
        ),
        (
            new_link_rate_limit_message,
            "Gallwch ofyn am ddolen arall ar ôl 10am. Os na all aros, ffoniwch 101 a rhoi eich"
            " cyfeirnod",
        ),
    ],
    ids=["query", "new-link"],
)
def test_a_welsh_resident_over_a_limit_is_told_in_welsh(settings, message, welsh):
    settings.FORCE_NON_EMERGENCY_NUMBER = "101"
    retry_at = START + datetime.timedelta(hours=1)

    with translation.override("cy"):
        assert message(retry_at, now=START) == welsh
