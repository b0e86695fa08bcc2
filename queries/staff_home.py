"""The queries inbox on the staff home (an officers.staff_home section)."""

from typing import Any

from officers.staff_home import StaffHome, StaffHomeSection


class InboxSection(StaffHomeSection):
    order = 30
    template = "queries/_staff_home.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        return {} if home.roles else None
