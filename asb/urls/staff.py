"""The ASB action plan's staff pages, under /staff/asb/."""

from django.urls import path

from asb import views

app_name = "asb_staff"

urlpatterns = [
    path("", views.staff_plan, name="plan"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("sections/new/", views.section_new, name="section_new"),
    path("delegates/", views.delegates, name="delegates"),
    path("delegates/<int:pk>/remove/", views.delegate_remove, name="delegate_remove"),
]
