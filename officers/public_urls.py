"""The officers' public pages, in every language of the portal (under /cy/ in Welsh)."""

from django.urls import path

from officers.views import profiles

app_name = "officer_profiles"
urlpatterns = [
    path("officers/", profiles.officer_directory, name="directory"),
    path("officers/<int:pk>/", profiles.officer_profile, name="profile"),
]
