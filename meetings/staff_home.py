"""Events and beat meetings on the staff home, with how many neighbourhoods' listings need
bringing up to date (an officers.staff_home section)."""

from typing import Any

from meetings.staleness import stale_listings
from officers.permissions import LISTINGS_ROLES, manageable_neighbourhoods
from officers.staff_home import StaffHome, StaffHomeSection


class ListingsSection(StaffHomeSection):
    order = 50
    template = "meetings/staff/_staff_home.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        if not home.roles & LISTINGS_ROLES:
            return None
        stale = stale_listings(neighbourhoods=manageable_neighbourhoods(home.user))
        return {"stale_listings": len(stale)}
