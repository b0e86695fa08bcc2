"""The staff priorities area, under /staff/priorities/."""

from django.urls import path

from engagement.views import priorities as views

app_name = "priorities_staff"

urlpatterns = [
    path("", views.priority_list, name="list"),
    path("new/", views.priority_new, name="new"),
    path("<int:pk>/edit/", views.priority_edit, name="edit"),
]
