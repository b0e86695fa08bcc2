"""Public pages: contact a neighbourhood team, and follow a query with its private link."""

from django.urls import path

from queries.views import resident

app_name = "queries"
urlpatterns = [
    path("contact/", resident.contact_start, name="contact_start"),
    path("contact/sent/", resident.confirmation, name="confirmation"),
    path("neighbourhoods/<slug:slug>/contact/", resident.contact, name="contact"),
    path("queries/track/<str:token>/", resident.track, name="track"),
    path("queries/track/<str:token>/reply/", resident.track_reply, name="track_reply"),
    path("queries/track/<str:token>/escalate/", resident.track_escalate, name="track_escalate"),
]
