"""Demo alert subscribers for `seed_demo`."""

from django.utils import timezone

from alerts.models import Subscriber
from alerts.subscriptions import Choices
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood

# (email, neighbourhood codes, frequency, confirmed)
DEMO_SUBSCRIBERS = [
    ("alerts.resident@example.com", ["DC01"], Subscriber.Frequency.IMMEDIATE, True),
    ("digest.resident@example.com", ["DC01", "DC02", "DC03"], Subscriber.Frequency.DAILY, True),
    ("not.confirmed@example.com", ["DC02"], Subscriber.Frequency.IMMEDIATE, False),
]


@demo_seeder
def seed_subscribers(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """A few alert subscribers for the demo force (by neighbourhood code): one hearing as it
    happens, one with the daily digest, one who never confirmed. Safe to run again."""
    now = timezone.now()
    for email, codes, frequency, is_confirmed in DEMO_SUBSCRIBERS:
        subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "frequency": frequency,
                "confirmed_at": now if is_confirmed else None,
                "digest_covered_until": now if is_confirmed else None,
                "confirm_sent_at": None if is_confirmed else now,
                "pending_choices": None
                if is_confirmed
                else Choices(
                    neighbourhood_ids=tuple(neighbourhoods[c].pk for c in codes)
                ).as_json(),
            },
        )
        if created and is_confirmed:
            subscriber.neighbourhoods.set([neighbourhoods[code] for code in codes])
