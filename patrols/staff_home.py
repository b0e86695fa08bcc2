"""Hotspot patrols on the staff home: log a patrol, define hotspots (an officers.staff_home
section). It reads only what the staff home already knows: no SQL of its own."""

from typing import Any

from config.roles import Role
from officers.permissions import OFFICER_ROLES
from officers.staff_home import StaffHome, StaffHomeSection


class PatrolsStaffSection(StaffHomeSection):
    order = 65
    template = "patrols/_staff_home.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        can_log = home.officer is not None and bool(home.roles & OFFICER_ROLES)
        # Supervisors define the hotspots of the neighbourhoods they lead (the page lists them).
        can_define = bool(home.roles & {Role.SUPERVISOR, Role.ADMINISTRATOR})
        if not can_log and not can_define:
            return None
        return {"can_log": can_log, "can_define": can_define}
