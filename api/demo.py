"""The demo's Open311 client, with a fixed key the README gives, so Open311 can be tried at once."""

from api.models import Open311Client
from config.limits import token_hash
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood

DEMO_CLIENT_NAME = "FixMyStreet (demo)"
# Printed in the README, like the demo passwords: never use it outside the demo.
DEMO_API_KEY = "demo-open311-key-not-secret-0123456789abcdef"


@demo_seeder
def seed_open311_client(neighbourhoods: dict[str, Neighbourhood]) -> str:
    Open311Client.objects.update_or_create(
        name=DEMO_CLIENT_NAME,
        defaults={
            "key_hash": token_hash(DEMO_API_KEY),
            "key_prefix": DEMO_API_KEY[:6],
            "requests_per_hour": 60,
            "revoked_at": None,
        },
    )
    return f"Open311 client {DEMO_CLIENT_NAME!r} with api_key={DEMO_API_KEY}."
