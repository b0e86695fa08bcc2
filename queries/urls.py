"""Public pages: contact a neighbourhood team, and follow a query with its private link."""

from django.urls import path, register_converter

from config.converters import TokenConverter
from queries.views import resident

register_converter(TokenConverter, "tracking_token")

app_name = "queries"
urlpatterns = [
    path("contact/", resident.contact_start, name="contact_start"),
    path("contact/sent/", resident.confirmation, name="confirmation"),
    path("neighbourhoods/<slug:slug>/contact/", resident.contact, name="contact"),
    path("queries/new-link/", resident.new_link, name="new_link"),
    path("queries/new-link/sent/", resident.new_link_sent, name="new_link_sent"),
    path("queries/track/<tracking_token:token>/", resident.track, name="track"),
    path("queries/track/<tracking_token:token>/reply/", resident.track_reply, name="track_reply"),
    path(
        "queries/track/<tracking_token:token>/feedback/<int:number>/",
        resident.track_feedback,
        name="track_feedback",
    ),
    path("queries/answer/<str:signed>/", resident.answer_feedback, name="answer_feedback"),
    path(
        "queries/track/<tracking_token:token>/escalate/",
        resident.track_escalate,
        name="track_escalate",
    ),
]
