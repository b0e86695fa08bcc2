"""Local priorities and Have your say on the staff home, with the priorities overdue for review
and the comments waiting for moderation (an officers.staff_home section)."""

from typing import Any

from engagement.priorities import overdue_priority_count
from engagement.surveys import survey_answers_awaiting_moderation_count
from officers.permissions import LISTINGS_ROLES
from officers.staff_home import StaffHome, StaffHomeSection


class EngagementSection(StaffHomeSection):
    order = 60
    template = "engagement/_staff_home.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        if not home.roles & LISTINGS_ROLES:
            return None
        return {
            "overdue_priorities": overdue_priority_count(user=home.user),
            "surveys_awaiting_moderation": survey_answers_awaiting_moderation_count(user=home.user),
        }
