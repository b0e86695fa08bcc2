"""Demo officers, assignments and the four demo sign-ins for `seed_demo`."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from config.dates import LONDON
from config.roles import Role
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood
from officers.models import Abstraction, Assignment, Officer, Rank

DEMO_PASSWORD = "neighbourhood"

# Named officer (PC) and PCSO for each neighbourhood code; UNCOVERED_CODE gets only a PCSO.
TEAMS = {
    "DC01": ("Priya Sharma", "Tom Ellis"),
    "DC02": ("Daniel Okafor", "Grace Whitfield"),
    "DC03": ("Hannah Lowe", "Marcus Bell"),
    "DC04": ("James Porter", "Aisha Rahman"),
    "DC05": ("Sophie Turner", "Kieran Walsh"),
    "DC06": ("Oliver Grant", "Megan Hughes"),
    "CN01": ("Rebecca Moss", "Liam Fletcher"),
    "CN02": (None, "Chloe Barker"),
    "CN03": ("Ben Hargreaves", "Ellie Shaw"),
    "CN04": ("Ruth Kenyon", "Adam Clegg"),
    "CN05": ("Matthew Dunn", "Laura Pickering"),
    "CN06": ("Sarah Brough", "Nathan Frost"),
}
# Sergeant and inspector for each division, by the prefix of its neighbourhood codes.
SUPERVISORS = {
    "DC": ("Mark Riley", "Claire Booth"),
    "CN": ("Steven Marsh", "Helen Ashworth"),
}


def _user(username: str, *, first: str, last: str, roles: list[Role], superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.police.uk",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.add(*(Group.objects.get_or_create(name=role.value)[0] for role in roles))
    return user


def _officer(
    name: str, rank: str, collar: str, *, user=None, responsibilities: str = ""
) -> Officer:
    officer, _ = Officer.objects.get_or_create(
        collar_number=collar,
        defaults={
            "display_name": name,
            "rank": rank,
            "user": user,
            "email": f"{name.lower().replace(' ', '.')}@example.police.uk",
            "phone": "101",
            "bio": f"{name} has served with the force for several years.",
            "responsibilities": responsibilities,
        },
    )
    return officer


def _assign(
    officer: Officer, neighbourhood: Neighbourhood, role: str, since: datetime.date
) -> None:
    Assignment.objects.get_or_create(
        officer=officer,
        neighbourhood=neighbourhood,
        role=role,
        end_date=None,
        defaults={"start_date": since},
    )


@demo_seeder
def seed_officers(neighbourhoods: dict[str, Neighbourhood]) -> str:
    since = timezone.localdate() - datetime.timedelta(days=400)
    officer_user = _user("officer", first="Priya", last="Sharma", roles=[Role.OFFICER])
    sergeant_user = _user(
        "sergeant", first="Mark", last="Riley", roles=[Role.OFFICER, Role.SUPERVISOR]
    )
    _user("opcc", first="Olivia", last="Carter", roles=[Role.OPCC])
    _user("admin", first="Ade", last="Min", roles=[Role.ADMINISTRATOR], superuser=True)

    for number, (code, (named, pcso)) in enumerate(TEAMS.items(), start=1):
        neighbourhood = neighbourhoods[code]
        if named:
            officer = _officer(
                named,
                Rank.PC,
                f"PC{1000 + number}",
                user=officer_user if code == "DC01" else None,
                responsibilities="Named officer: your first point of contact for local issues.",
            )
            _assign(officer, neighbourhood, Assignment.Role.NAMED_OFFICER, since)
        if pcso:
            support = _officer(pcso, Rank.PCSO, f"PCSO{5000 + number}")
            _assign(support, neighbourhood, Assignment.Role.TEAM_MEMBER, since)

    for number, (prefix, (sergeant_name, inspector_name)) in enumerate(SUPERVISORS.items(), 1):
        sergeant = _officer(
            sergeant_name,
            Rank.SGT,
            f"S{200 + number}",
            user=sergeant_user if prefix == "DC" else None,
            responsibilities="Leads the neighbourhood teams of the division.",
        )
        inspector = _officer(inspector_name, Rank.INSP, f"I{30 + number}")
        for code, neighbourhood in neighbourhoods.items():
            if code.startswith(prefix):
                _assign(sergeant, neighbourhood, Assignment.Role.SERGEANT, since)
                _assign(inspector, neighbourhood, Assignment.Role.INSPECTOR, since)

    seed_abstractions()
    return f"Sign in as officer, sergeant, opcc or admin with the password '{DEMO_PASSWORD}'."


@demo_seeder
def seed_welsh_profile(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """The Welsh of one officer's profile (Derby City Centre's named officer, the demo officer's
    own), so their page is in Welsh and the others show the English, marked as such."""
    officer = Officer.objects.filter(user__username="officer").first()
    if officer is None or officer.responsibilities_cy:
        return
    officer.responsibilities_cy = (
        "Swyddog a enwir: eich pwynt cyswllt cyntaf ar gyfer materion lleol."
    )
    officer.bio_cy = f"Mae {officer.display_name} wedi gwasanaethu gyda’r heddlu ers sawl blwyddyn."
    officer.save(update_fields=["responsibilities_cy", "bio_cy", "updated_at"])


# Demo abstractions: (officer, reason, days ago it started, start hour, hours; None: still away).
ABSTRACTIONS = [
    ("Daniel Okafor", Abstraction.Reason.RESPONSE_COVER, 3, 7, 10),
    ("Daniel Okafor", Abstraction.Reason.COURT, 17, 9, 8),
    ("Hannah Lowe", Abstraction.Reason.PUBLIC_ORDER, 6, 12, 9),
    ("Hannah Lowe", Abstraction.Reason.TRAINING, 40, 9, 7),
    ("Tom Ellis", Abstraction.Reason.CUSTODY, 10, 14, 6),
    ("Rebecca Moss", Abstraction.Reason.OTHER_FORCE_DUTIES, 24, 8, 12),
    ("Ben Hargreaves", Abstraction.Reason.RESPONSE_COVER, 0, 6, None),
    ("Grace Whitfield", Abstraction.Reason.OTHER, 55, 10, 4),
]


def seed_abstractions() -> None:
    """A few weeks of abstractions across both divisions; one officer is away now. Officers
    who already have entries are left as they are."""
    today = timezone.localdate()
    logged = set(Abstraction.objects.values_list("officer__display_name", flat=True))
    officers = {officer.display_name: officer for officer in Officer.objects.all()}
    for name, reason, days_ago, hour, hours in ABSTRACTIONS:
        officer = officers.get(name)
        if officer is None or name in logged:
            continue
        starts = datetime.datetime.combine(
            today - datetime.timedelta(days=days_ago), datetime.time(hour), tzinfo=LONDON
        )
        ends = None if hours is None else starts + datetime.timedelta(hours=hours)
        if ends is not None and ends > timezone.now():
            ends = None
        Abstraction.objects.create(
            officer=officer, reason=reason, starts_at=min(starts, timezone.now()), ends_at=ends
        )
