"""The staff pages of the Police and Crime Plan, under /staff/police-and-crime-plan/."""

from django.urls import path

from crimeplan import views

app_name = "crimeplan_staff"

urlpatterns = [
    path("", views.staff_plans, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/priorities/new/", views.plan_priority_new, name="priority_new"),
    path("priorities/<int:pk>/edit/", views.plan_priority_edit, name="priority_edit"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<int:pk>/", views.tag, name="tag"),
]
