"""Hotspot patrols in the staff area, under /staff/patrols/."""

from django.urls import path

from patrols import staff_views as views

app_name = "patrols_staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.log, name="log"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("hotspots/new/", views.hotspot_new, name="hotspot_new"),
    path("hotspots/<int:pk>/edit/", views.hotspot_edit, name="hotspot_edit"),
]
