"""Public pages: events across the force, an event, registering, and the calendar files."""

from django.urls import path, register_converter

from config.converters import TokenConverter
from meetings import views

register_converter(TokenConverter, "cancel_token")

app_name = "meetings"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/calendar.ics", views.force_feed, name="force_feed"),
    path("events/registered/", views.registration_confirmation, name="registration_confirmation"),
    path(
        "events/registrations/<cancel_token:token>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/calendar.ics", views.event_ics, name="event_ics"),
    path(
        "neighbourhoods/<slug:slug>/events.ics",
        views.neighbourhood_feed,
        name="neighbourhood_feed",
    ),
]
