"""The demo Police and Crime Plan for `seed_demo`, with the demo neighbourhood priorities
tagged. Safe to run again: the plan is found by its title, each priority by its title."""

import datetime

from crimeplan.models import Plan, PlanPriority
from engagement.models import Priority
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood

TITLE = "Police and Crime Plan 2024 to 2028"
PRIORITIES = [
    ("Strong local policing", "Visible, named neighbourhood teams residents know and can reach."),
    (
        "Neighbourhood crime and policing",
        "Tackling anti-social behaviour, burglary, shoplifting and drug dealing where people live.",
    ),
    (
        "Victim support and safeguarding",
        "Victims kept informed and supported; vulnerable people protected.",
    ),
    ("Road safety", "Fewer people killed or seriously injured on the county's roads."),
    ("Rural crime", "Farm, wildlife and heritage crime taken seriously."),
    ("Driving efficiencies", "Every pound of the police budget spent where it matters most."),
]
# Which plan priorities the demo neighbourhood priorities serve, by the start of their issue.
TAGS = {
    "Anti-social behaviour": ["Strong local policing", "Neighbourhood crime and policing"],
    "Speeding vehicles": ["Road safety"],
    "Shoplifting": ["Neighbourhood crime and policing"],
    "Drug dealing": ["Neighbourhood crime and policing", "Victim support and safeguarding"],
}


@demo_seeder
def seed_crime_plan(neighbourhoods: dict[str, Neighbourhood]) -> str:
    plan, _ = Plan.objects.get_or_create(
        title=TITLE,
        defaults={"starts_on": datetime.date(2024, 5, 13), "ends_on": datetime.date(2028, 5, 31)},
    )
    by_title = {}
    for position, (title, description) in enumerate(PRIORITIES, start=1):
        by_title[title], _ = PlanPriority.objects.get_or_create(
            plan=plan, title=title, defaults={"description": description, "position": position}
        )
    for start, titles in TAGS.items():
        priorities = Priority.objects.filter(issue__startswith=start)
        for title in titles:
            by_title[title].neighbourhood_priorities.add(*priorities)
    return f"A Police and Crime Plan with {len(PRIORITIES)} priorities."
