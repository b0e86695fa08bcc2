"""The staff surveys area, under /staff/surveys/."""

from django.urls import path

from engagement.views import surveys as views

app_name = "surveys_staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_new, name="new"),
    path("<int:pk>/", views.staff_results, name="results"),
    path("<int:pk>/edit/", views.staff_edit, name="edit"),
    path(
        "<int:pk>/answers/<int:response_pk>/moderate/",
        views.staff_moderate,
        name="moderate",
    ),
]
