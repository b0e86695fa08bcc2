"""The public Police and Crime Plan, at /police-and-crime-plan/."""

from django.urls import path

from crimeplan import views

app_name = "crimeplan"

urlpatterns = [
    path("", views.plan_public, name="plan"),
]
