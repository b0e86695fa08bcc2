"""A neighbourhood with a team, its postcode, a postcode outside the force, and a client's key:
what the Open311 tests post against."""

import datetime
from dataclasses import dataclass

from api.open311.services import open311_client_issue
from neighbourhoods.models import Neighbourhood
from tests.factories import PostcodeFactory
from tests.queries.factories import neighbourhood_with_team

INSIDE = {"lat": "52.9200", "long": "-1.4700"}
# Aberdeen: a real place, far outside any neighbourhood of the force.
OUTSIDE = {"lat": "57.1497", "long": "-2.0943"}


@dataclass
class Area:
    neighbourhood: Neighbourhood
    key: str
    postcode: str = "DE1 2AB"
    postcode_outside: str = "AB10 1XG"


def open311_area(*, requests_per_hour: int = 60) -> Area:
    neighbourhood, officers = neighbourhood_with_team(name="Normanton", slug="normanton")
    for role, officer in officers.items():
        officer.email = f"{role}@example.police.uk"
        officer.save(update_fields=["email"])
    neighbourhood.assignments.update(start_date=datetime.date(2025, 1, 1))
    area = Area(neighbourhood=neighbourhood, key="")
    PostcodeFactory(postcode=area.postcode, neighbourhood=neighbourhood)
    PostcodeFactory(
        postcode=area.postcode_outside, latitude=57.1497, longitude=-2.0943, neighbourhood=None
    )
    _client, area.key = open311_client_issue(
        name="Derby Council app", requests_per_hour=requests_per_hour
    )
    return area


def request_fields(key: str, **changes: str) -> dict[str, str]:
    """A GeoReport v2 POST requests body as a client sends it."""
    return {
        "api_key": key,
        "service_code": "road_safety",
        **INSIDE,
        "description": "Vans park on the pavement on Elm Road every morning.",
        "first_name": "Sam",
        "last_name": "Resident",
        "email": "sam@example.com",
        **changes,
    }
