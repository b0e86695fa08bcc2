from django.contrib import admin

from meetings.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "neighbourhood", "event_type", "starts_at", "status"]
    list_filter = ["event_type", "status"]
    list_select_related = ["neighbourhood"]
    date_hierarchy = "starts_at"
