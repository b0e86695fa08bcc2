"""The abstractions report, under /staff/abstractions/report/. The officers' URLconf mounts it
beside the abstractions log, so it keeps its address and its names in the officers namespace
(officers:abstraction_report, officers:abstraction_report_csv)."""

from django.urls import path

from dashboards.views import abstractions as views

urlpatterns = [
    path("", views.report, name="abstraction_report"),
    path("csv/", views.report_csv, name="abstraction_report_csv"),
]
