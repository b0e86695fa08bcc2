"""The Police and Crime Plan in the admin, for administrators' corrections: the OPCC publishes
it in the staff area."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from crimeplan.models import Plan, PlanPriority


class PlanPriorityInline(admin.TabularInline):
    model = PlanPriority
    extra = 0
    fields = ["title", "description", "position"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "starts_on", "ends_on"]
    inlines = [PlanPriorityInline]


@admin.register(PlanPriority)
class PlanPriorityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "position"]
    list_select_related = ["plan"]
    raw_id_fields = ["neighbourhood_priorities"]
