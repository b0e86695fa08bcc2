"""The staff home, built from sections: where a signed-in member of staff starts, each area of
the staff site with what needs their attention there.

The officers app draws the page and its own sections; each app above adds its area as a
section, registered in its AppConfig.ready (config.sections). The places, top to bottom:

     10 officers    availability, and the abstractions log (below)
     30 queries     the inbox (queries.staff_home)
     40 dashboards  the SLA and Guarantee dashboard (dashboards.staff_home)
     50 meetings    events, and listings to bring up to date (meetings.staff_home)
     60 engagement  priorities overdue for review, comments to moderate (engagement.staff_home)
     64 crimeplan   the Police and Crime Plan: publish it, tag priorities (crimeplan.staff_home)
     66 asb         the ASB action plan, for its leads and delegates (asb.staff_home)
     65 patrols     log a patrol, define hotspots (patrols.staff_home)
     70 officers    the officer's profile and neighbourhoods
     80 officers    neighbourhoods without a named officer
     90 officers    coverage
    100 dashboards  the force at a glance
    110 officers    administration: emails that could not be sent

A section decides from the user's roles whether it shows at all; each runs a fixed number of
SQL queries."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser

from config.roles import Role, user_roles
from config.sections import Sections
from notifications.selectors import outbox_failed_count
from officers.models import Assignment, Officer
from officers.permissions import COVERAGE_ROLES, OFFICER_ROLES
from officers.selectors import neighbourhoods_without_named_officer


@dataclass
class StaffHome:
    """Who is looking: what every section decides from."""

    user: AbstractBaseUser
    roles: set[Role]
    officer: Officer | None
    # The availability form: None for someone with no profile of their own to mark away.
    away_form: forms.Form | None = None

    @property
    def can_edit_own_profile(self) -> bool:
        return self.officer is not None and bool(self.roles & OFFICER_ROLES)


class StaffHomeSection:
    """One area of the staff home. An app subclasses it and registers an instance."""

    # Where the section goes on the page: lower first.
    order: int = 0
    # Rendered with `home` (the StaffHome) and the section's context.
    template: str = ""

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        """What the template shows; None when the section is not for this user."""
        return {}


sections: Sections[StaffHomeSection] = Sections()


def register_section(section: StaffHomeSection) -> None:
    """Add a section to the staff home (in AppConfig.ready)."""
    sections.register(section)


def staff_home(*, user: AbstractBaseUser) -> StaffHome:
    return StaffHome(
        user=user, roles=user_roles(user), officer=Officer.objects.filter(user=user).first()
    )


def staff_home_sections(home: StaffHome) -> list[tuple[str, dict[str, Any]]]:
    """The sections this user sees, in order: (template, context)."""
    shown = []
    for section in sections:
        context = section.context(home)
        if context is not None:
            shown.append((section.template, context))
    return shown


# --- The officers app's own sections ----------------------------------------------------------


class AvailabilitySection(StaffHomeSection):
    """An officer marks themselves away, and finds the abstractions log."""

    order = 10
    template = "officers/staff_home/_availability.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        return {} if home.away_form is not None else None


class OwnNeighbourhoodsSection(StaffHomeSection):
    """An officer's public profile and where they are assigned now."""

    order = 70
    template = "officers/staff_home/_neighbourhoods.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        if Role.OFFICER not in home.roles:
            return None
        assignments: list[Assignment] = []
        if home.officer is not None:
            assignments = list(home.officer.assignments.current().select_related("neighbourhood"))
        return {"assignments": assignments}


class UncoveredSection(StaffHomeSection):
    """For supervisors: the neighbourhoods they lead that have no named officer. (The
    coverage page has the whole force's.)"""

    order = 80
    template = "officers/staff_home/_uncovered.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        if Role.SUPERVISOR not in home.roles:
            return None
        uncovered = neighbourhoods_without_named_officer(led_by_user_id=home.user.pk)
        return {"uncovered_neighbourhoods": list(uncovered)}


class CoverageSection(StaffHomeSection):
    order = 90
    template = "officers/staff_home/_coverage.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        return {} if home.roles & COVERAGE_ROLES else None


class AdministrationSection(StaffHomeSection):
    """For administrators: emails the outbox gave up on, and the administration site."""

    order = 110
    template = "officers/staff_home/_administration.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        if Role.ADMINISTRATOR not in home.roles:
            return None
        return {"failed_emails": outbox_failed_count()}


def register_own_sections() -> None:
    for section in (
        AvailabilitySection(),
        OwnNeighbourhoodsSection(),
        UncoveredSection(),
        CoverageSection(),
        AdministrationSection(),
    ):
        register_section(section)
