"""The staff events area, under /staff/events/."""

from django.urls import path

from meetings import staff_views as views

app_name = "meetings_staff"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="event_new"),
    path("past/", views.event_record_past, name="record_past"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/attendance/", views.event_attendance, name="attendance"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("series/new/", views.series_new, name="series_new"),
    path("series/<int:pk>/", views.series_detail, name="series"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/end/", views.series_end, name="series_end"),
]
