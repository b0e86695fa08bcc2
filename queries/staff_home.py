"""The queries inbox on the staff home (an officers.staff_home section): for those who hold
queries, how many are new, due within 24 hours and overdue, each linking to exactly those
queries in the inbox."""

from typing import Any

from django.utils import timezone

from config.roles import Role
from officers.staff_home import StaffHome, StaffHomeSection
from queries.selectors.inbox import attention_counts


class InboxSection(StaffHomeSection):
    order = 30
    template = "queries/_staff_home.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        if not home.roles:
            return None
        # Only an officer's profile is ever assigned a query: without one there is nothing
        # to count (and no SQL is spent on it).
        counts = (
            attention_counts(user=home.user, roles=home.roles, now=timezone.now())
            if home.officer is not None
            else []
        )
        return {
            "attention": counts,
            "read_only": Role.OPCC in home.roles
            and not home.roles & {Role.ADMINISTRATOR, Role.OFFICER, Role.SUPERVISOR},
        }
