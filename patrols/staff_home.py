"""Hotspot patrols on the staff home: log a patrol, define hotspots (an officers.staff_home
section)."""

from typing import Any

from officers.staff_home import StaffHome, StaffHomeSection
from patrols import services


class PatrolsStaffSection(StaffHomeSection):
    order = 65
    template = "patrols/_staff_home.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        can_log = services.logging_officer(home.user) is not None
        can_define = services.can_define_hotspots(home.user)
        if not can_log and not can_define:
            return None
        return {"can_log": can_log, "can_define": can_define}
