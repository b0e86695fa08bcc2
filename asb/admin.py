"""Anti-social behaviour in the admin: administrators name the ASB leads and their delegates,
and keep the "Who do I report this to?" guide (kinds of behaviour, organisations, and which
organisations each kind goes to, in order). The leads keep the action plan in the staff area;
the admin is for corrections, with the history of every change."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from asb.models import Action, BehaviourKind, Delegation, Lead, Organisation, ReportRoute, Section


class DelegationInline(admin.TabularInline):
    model = Delegation
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Lead)
class LeadAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "role", "division"]
    list_select_related = ["officer", "division"]
    raw_id_fields = ["officer"]
    inlines = [DelegationInline]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "position"]
    list_editable = ["position"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "section", "division", "due_on", "status"]
    list_filter = ["status", "section"]
    list_select_related = ["section", "division"]
    search_fields = ["title"]
    raw_id_fields = ["owner_neighbourhood"]


class ReportRouteInline(admin.TabularInline):
    model = ReportRoute
    extra = 1
    fields = ["organisation", "note", "position"]


@admin.register(BehaviourKind)
class BehaviourKindAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "danger_first", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ReportRouteInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "url", "position"]
    list_editable = ["position"]
