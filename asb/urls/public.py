"""Anti-social behaviour for residents, under /asb/."""

from django.urls import path

from asb import views

app_name = "asb"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report_question, name="report"),
    path("report/<slug:kind>/", views.report_answer, name="report_answer"),
]
