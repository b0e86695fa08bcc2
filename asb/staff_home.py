"""The ASB action plan on the staff home, for the ASB leads and the people they delegate."""

from typing import Any

from asb.permissions import plan_scope
from officers.staff_home import StaffHome, StaffHomeSection


class AsbSection(StaffHomeSection):
    order = 66
    template = "asb/_staff_home.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        scope = plan_scope(home.user, roles=home.roles)
        if not scope.edits_anything:
            return None
        return {"whole_plan": scope.whole_plan}
