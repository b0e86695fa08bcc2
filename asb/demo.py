"""The demo ASB lead, the division's lead, the action plan and the "Who do I report this to?"
guide for `seed_demo`. Safe to run again: each row is found by its name or title."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from asb.models import Action, BehaviourKind, Lead, Organisation, ReportRoute, Section
from config.roles import Role
from crimeplan.models import PlanPriority
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Division, Neighbourhood
from officers.models import Officer, Rank

LEAD_USERNAME = "asblead"
DEMO_PASSWORD = "neighbourhood"
LEAD_RESPONSIBILITIES = (
    "Leads the force's work on anti-social behaviour from the Prevention and Partnerships "
    "team, and works with each division's leadership on the action plan for town centres and "
    "residential areas."
)

# (section, title, owner kind, owner, due in days, status, progress, plan priorities)
ACTIONS = [
    (
        "Town centres",
        "Evening patrols in Derby city centre on Thursday to Saturday nights",
        Action.OwnerKind.NEIGHBOURHOOD,
        "DC01",
        30,
        Action.Status.IN_PROGRESS,
        "Patrols running since the summer; groups dispersed weekly.",
        ["Neighbourhood crime and policing", "Strong local policing"],
    ),
    (
        "Town centres",
        "Public Spaces Protection Order for the Cathedral Quarter",
        Action.OwnerKind.PARTNER,
        "Derby City Council",
        90,
        Action.Status.NOT_STARTED,
        "",
        ["Neighbourhood crime and policing"],
    ),
    (
        "Residential areas",
        "Joint visits with housing providers to the streets with the most reports",
        Action.OwnerKind.DIVISION,
        "derby-city",
        45,
        Action.Status.DELAYED,
        "Waiting for the housing providers' data-sharing agreement.",
        ["Victim support and safeguarding"],
    ),
    (
        "Residential areas",
        "Off-road bike nuisance: seize and crush scheme",
        Action.OwnerKind.DIVISION,
        "county-north",
        -10,
        Action.Status.DONE,
        "Twelve bikes seized in the first month.",
        ["Road safety"],
    ),
]

GUIDE_ORGANISATIONS = [
    ("999", "Call 999", "If someone is in danger now, or a crime is happening now.", "", "", "999"),
    (
        "online",
        "The police, online",
        "Report anti-social behaviour or a crime that is not an emergency.",
        settings.REPORT_ONLINE_URL,
        "Report it to the police online",
        "",
    ),
    (
        "101",
        "The police, on 101",
        "If you cannot report it online, or want to talk to someone.",
        "",
        "",
        settings.FORCE_NON_EMERGENCY_NUMBER,
    ),
    (
        "council",
        "Your local council",
        "Councils deal with noise, rubbish, graffiti, fly-tipping and abandoned vehicles.",
        "https://www.gov.uk/find-local-council",
        "Find your local council",
        "",
    ),
    (
        "housing",
        "Your housing provider",
        "If you or the people causing the problem rent from the council or a housing "
        "association, tell the landlord too.",
        "",
        "",
        "",
    ),
    (
        "crimestoppers",
        "Crimestoppers",
        "To tell someone about a crime without giving your name.",
        "https://crimestoppers-uk.org/",
        "Give information anonymously to Crimestoppers",
        "0800 555 111",
    ),
]
# (slug, name, hint, danger first, organisations in order)
GUIDE_KINDS = [
    ("noise", "Noise", "Loud music, parties, barking dogs", False, ["council", "housing"]),
    (
        "neighbour-disputes",
        "Neighbour disputes",
        "",
        False,
        ["housing", "council", "101"],
    ),
    (
        "fly-tipping",
        "Fly-tipping",
        "Rubbish dumped in the street or countryside",
        False,
        ["council"],
    ),
    ("graffiti", "Graffiti", "", False, ["council"]),
    ("drug-dealing", "Drug dealing", "", True, ["online", "101", "crimestoppers"]),
    (
        "threatening-behaviour",
        "Threatening or intimidating behaviour",
        "",
        True,
        ["999", "online", "101"],
    ),
    (
        "vehicle-nuisance",
        "Vehicle nuisance",
        "Off-road bikes, cars driven dangerously, abandoned vehicles",
        True,
        ["online", "101", "council"],
    ),
    ("begging", "Begging", "", False, ["council", "101"]),
    ("other", "Something else", "", False, ["online", "101", "council"]),
]


def _lead_account():
    user, created = get_user_model().objects.get_or_create(
        username=LEAD_USERNAME,
        defaults={
            "first_name": "Rachel",
            "last_name": "Adeyemi",
            "email": f"{LEAD_USERNAME}@example.police.uk",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.OFFICER.value)[0])
    return user


def _leads() -> None:
    if not Lead.objects.filter(division__isnull=True).exists():
        officer, _ = Officer.objects.get_or_create(
            collar_number="PP100",
            defaults={
                "display_name": "Rachel Adeyemi",
                "rank": Rank.CH_INSP,
                "user": _lead_account(),
                "email": "rachel.adeyemi@example.police.uk",
                "phone": "101",
                "responsibilities": "Prevention and Partnerships.",
            },
        )
        Lead.objects.create(
            officer=officer,
            role="Force lead for anti-social behaviour",
            responsibilities=LEAD_RESPONSIBILITIES,
            contact="Write to the Prevention and Partnerships team, or call 101.",
        )
    division = Division.objects.filter(slug="derby-city").first()
    sergeant = Officer.objects.filter(user__username="sergeant").first()
    if division and sergeant and not Lead.objects.filter(division=division).exists():
        Lead.objects.create(
            officer=sergeant,
            division=division,
            role="Division lead for anti-social behaviour",
            responsibilities="Keeps Derby City division's part of the action plan.",
        )


def _actions(neighbourhoods: dict[str, Neighbourhood]) -> None:
    today = timezone.localdate()
    sections = {}
    for position, title in enumerate(["Town centres", "Residential areas"], start=1):
        sections[title], _ = Section.objects.get_or_create(
            title=title, defaults={"position": position}
        )
    divisions = {division.slug: division for division in Division.objects.all()}
    plan_priorities = {priority.title: priority for priority in PlanPriority.objects.all()}
    for section, title, kind, owner, due, status, progress, serves in ACTIONS:
        if Action.objects.filter(title=title).exists():
            continue
        neighbourhood = (
            neighbourhoods.get(owner) if kind == Action.OwnerKind.NEIGHBOURHOOD else None
        )
        owner_division = divisions.get(owner) if kind == Action.OwnerKind.DIVISION else None
        area_division = owner_division or (neighbourhood.division if neighbourhood else None)
        action = Action.objects.create(
            section=sections[section],
            division=area_division,
            title=title,
            owner_kind=kind,
            owner_division=owner_division,
            owner_neighbourhood=neighbourhood,
            owner_partner=owner if kind == Action.OwnerKind.PARTNER else "",
            due_on=today + datetime.timedelta(days=due),
            status=status,
            progress=progress,
        )
        action.plan_priorities.add(*(plan_priorities[t] for t in serves if t in plan_priorities))


def _guide() -> None:
    organisations = {}
    for position, (key, name, description, url, link_text, phone) in enumerate(
        GUIDE_ORGANISATIONS, start=1
    ):
        organisations[key], _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "url": url,
                "link_text": link_text,
                "phone": phone,
                "position": position,
            },
        )
    for position, (slug, name, hint, danger_first, routes) in enumerate(GUIDE_KINDS, start=1):
        kind, created = BehaviourKind.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "hint": hint,
                "danger_first": danger_first,
                "position": position,
            },
        )
        if created:
            for place, key in enumerate(routes, start=1):
                ReportRoute.objects.create(
                    kind=kind, organisation=organisations[key], position=place
                )


@demo_seeder
def seed_asb(neighbourhoods: dict[str, Neighbourhood]) -> str:
    _leads()
    _actions(neighbourhoods)
    _guide()
    return f"An ASB lead, an action plan and the report guide ({LEAD_USERNAME} keeps the plan)."
