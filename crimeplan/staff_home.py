"""The Police and Crime Plan on the staff home: OPCC and administrators publish it; officers
tag their neighbourhoods' priorities with the plan priorities they serve."""

from typing import Any

from crimeplan.services import PLAN_EDITORS
from officers.permissions import LISTINGS_ROLES
from officers.staff_home import StaffHome, StaffHomeSection


class CrimePlanSection(StaffHomeSection):
    order = 64
    template = "crimeplan/_staff_home.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        can_publish = bool(home.roles & PLAN_EDITORS)
        can_tag = bool(home.roles & LISTINGS_ROLES)
        if not can_publish and not can_tag:
            return None
        return {"can_publish": can_publish, "can_tag": can_tag}
