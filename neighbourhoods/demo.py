"""The demo force for `seed_demo`: its divisions, neighbourhoods and postcodes, and the
seeders every other app adds its demo data with.

Each app's `demo` module registers its seeder with @demo_seeder; seed_demo finds them as the
admin finds each app's `admin` module (Django's autodiscover_modules), and runs them in the
order of INSTALLED_APPS, lowest layer first, each given the neighbourhoods by code.

Every row is found by its natural key and created only when missing, so a second run changes
nothing. Places are real Derbyshire names; boundaries and postcode positions are made up.
"""

import math
import random
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import autodiscover_modules
from django.utils.text import slugify

from neighbourhoods.models import Division, Force, Neighbourhood, Postcode

# A seeder: given the neighbourhoods by code, it adds one app's demo data, and may return a line
# for seed_demo to print.
Seeder = Callable[[dict[str, Neighbourhood]], str | None]
_seeders: list[Seeder] = []

# (division, code, name, outward code, latitude, longitude, population)
NEIGHBOURHOODS = [
    ("Derby City", "DC01", "Derby City Centre", "DE1", 52.9225, -1.4746, 14200),
    ("Derby City", "DC02", "Normanton", "DE23", 52.9048, -1.4816, 18900),
    ("Derby City", "DC03", "Alvaston", "DE24", 52.8935, -1.4294, 16100),
    ("Derby City", "DC04", "Mickleover", "DE3", 52.9060, -1.5467, 19300),
    ("Derby City", "DC05", "Chaddesden", "DE21", 52.9302, -1.4262, 17400),
    ("Derby City", "DC06", "Allestree", "DE22", 52.9531, -1.4867, 13800),
    ("County North", "CN01", "Chesterfield Town Centre", "S40", 53.2350, -1.4210, 15600),
    ("County North", "CN02", "Staveley", "S43", 53.2680, -1.3490, 12400),
    ("County North", "CN03", "Buxton", "SK17", 53.2570, -1.9110, 22100),
    ("County North", "CN04", "Glossop", "SK13", 53.4430, -1.9490, 33300),
    ("County North", "CN05", "Matlock", "DE4", 53.1380, -1.5560, 9800),
    ("County North", "CN06", "Bakewell", "DE45", 53.2140, -1.6760, 3900),
]
# The neighbourhood the demo leaves without a named officer, to show what residents see.
UNCOVERED_CODE = "CN02"


def station_postcode(outward: str) -> str:
    """The postcode of a demo neighbourhood's police station."""
    return f"{outward} 1AA"


def demo_seeder(seeder: Seeder) -> Seeder:
    """Register an app's demo seeder (as a decorator, in its `demo` module)."""
    _seeders.append(seeder)
    return seeder


def demo_seeders() -> list[Seeder]:
    """Every app's seeder, in the order of INSTALLED_APPS (whatever order the modules were
    imported in), so each finds the data of the apps below it."""
    autodiscover_modules("demo")
    order = {config.name: place for place, config in enumerate(apps.get_app_configs())}
    return sorted(
        _seeders, key=lambda seeder: order[apps.get_containing_app_config(seeder.__module__).name]
    )


def boundary_around(latitude: float, longitude: float) -> dict:
    """An irregular octagon about 1.5 km across, as a GeoJSON Polygon (longitude, latitude)."""
    ring = []
    for corner in range(8):
        angle = math.tau * corner / 8
        stretch = 1.0 if corner % 2 else 0.85
        ring.append(
            [
                round(longitude + 0.011 * stretch * math.cos(angle), 6),
                round(latitude + 0.007 * stretch * math.sin(angle), 6),
            ]
        )
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def seed_neighbourhoods() -> dict[str, Neighbourhood]:
    force, _ = Force.objects.get_or_create(
        slug=settings.FORCE_SLUG,
        defaults={
            "name": settings.FORCE_NAME,
            "description": "Demo data: a force with two divisions and twelve neighbourhoods.",
            "url": settings.SITE_URL,
            "telephone": settings.FORCE_NON_EMERGENCY_NUMBER,
            "engagement_methods": [
                {
                    "title": "Online reporting",
                    "url": f"{settings.SITE_URL}/",
                    "description": "Report non-emergencies online, at any time.",
                }
            ],
        },
    )
    rng = random.Random(2026)
    neighbourhoods = {}
    for division_name, code, name, outward, lat, lng, population in NEIGHBOURHOODS:
        division, _ = Division.objects.get_or_create(
            force=force, slug=slugify(division_name), defaults={"name": division_name}
        )
        neighbourhood, _ = Neighbourhood.objects.get_or_create(
            force=force,
            code=code,
            defaults={
                "division": division,
                "name": name,
                "slug": slugify(name),
                "description": (
                    f"<p>The neighbourhood policing team for {name} works with residents, "
                    "schools, businesses and the council to keep the area safe.</p>"
                ),
                "population": population,
                "boundary": boundary_around(lat, lng),
                "centre_latitude": lat,
                "centre_longitude": lng,
                "email": f"{slugify(name)}.snt@example.police.uk",
                "telephone": settings.FORCE_NON_EMERGENCY_NUMBER,
                "url_force": f"{settings.SITE_URL}/neighbourhoods/{slugify(name)}/",
                "social_links": {"facebook": f"https://www.facebook.com/{slugify(name)}police"},
                "locations": [
                    {
                        "name": f"{name} Police Station",
                        "type": "station",
                        "address": f"1 Station Road, {name}",
                        "postcode": station_postcode(outward),
                        "latitude": str(lat),
                        "longitude": str(lng),
                        "description": "Front counter open Monday to Friday, 9am to 5pm.",
                        "telephone": settings.FORCE_NON_EMERGENCY_NUMBER,
                    }
                ],
            },
        )
        neighbourhoods[code] = neighbourhood
        # The station's postcode, which the pages show (and the search hint gives as its
        # example), is found like any other.
        Postcode.objects.get_or_create(
            postcode=station_postcode(outward),
            defaults={"latitude": lat, "longitude": lng, "neighbourhood": neighbourhood},
        )
        for number in range(1, 5):
            inward = (
                f"{number}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            )
            Postcode.objects.get_or_create(
                postcode=f"{outward} {inward}",
                defaults={
                    "latitude": round(lat + rng.uniform(-0.003, 0.003), 6),
                    "longitude": round(lng + rng.uniform(-0.005, 0.005), 6),
                    "neighbourhood": neighbourhood,
                },
            )
    seed_welsh_neighbourhoods(neighbourhoods)
    return neighbourhoods


# The Welsh of a few neighbourhoods (name, description), so the Welsh pages show Welsh content
# and, for the others, the English marked as such. An English town keeps its own name.
WELSH_NEIGHBOURHOODS = {
    "DC01": (
        "Canol Dinas Derby",
        "<p>Mae tîm plismona’r gymdogaeth ar gyfer Canol Dinas Derby yn gweithio gyda "
        "thrigolion, ysgolion, busnesau a’r cyngor i gadw’r ardal yn ddiogel.</p>",
    ),
    "DC02": (
        "",
        "<p>Mae tîm plismona’r gymdogaeth ar gyfer Normanton yn gweithio gyda thrigolion, "
        "ysgolion, busnesau a’r cyngor i gadw’r ardal yn ddiogel.</p>",
    ),
    "CN01": (
        "Canol Tref Chesterfield",
        "<p>Mae tîm plismona’r gymdogaeth ar gyfer Canol Tref Chesterfield yn gweithio gyda "
        "thrigolion, ysgolion, busnesau a’r cyngor i gadw’r ardal yn ddiogel.</p>",
    ),
}


def seed_welsh_neighbourhoods(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """Written only where no Welsh is yet, so a second run, or an administrator's own Welsh,
    is left as it is."""
    for code, (name_cy, description_cy) in WELSH_NEIGHBOURHOODS.items():
        neighbourhood = neighbourhoods.get(code)
        if neighbourhood is None or neighbourhood.name_cy or neighbourhood.description_cy:
            continue
        neighbourhood.name_cy, neighbourhood.description_cy = name_cy, description_cy
        neighbourhood.save(update_fields=["name_cy", "description_cy", "updated_at"])
