"""The published quarterly Guarantee reports, under /performance/reports/: the list, each
quarter's latest version at /performance/reports/2026-27-q2/ and every version at
/performance/reports/2026-27-q2/v1/."""

from django.urls import path

from dashboards.views import reports as views

app_name = "reports"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/v<int:version>/", views.detail, name="version"),
]
