"""The SLA and Guarantee dashboard, under /staff/dashboard/. Filters travel in the query
string: scope, period (7, 28, 90, 365, 1095 or custom), from and to; figure and page where used."""

from django.urls import path

from dashboards.views import crimeplan, engagement, patrols, reports
from dashboards.views import dashboard as views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("queries/", views.queries, name="queries"),
    path("export/<slug:table>.csv", views.export, name="export"),
    path("engagement/", engagement.engagement, name="engagement"),
    path("engagement/export.csv", engagement.engagement_export, name="engagement_export"),
    # The OPCC's quarterly Guarantee reports: drafting, publishing and corrections.
    path("reports/", reports.staff_list, name="reports"),
    path("reports/<int:pk>/", reports.staff_report, name="report"),
    path("reports/<int:pk>/publish/", reports.staff_publish, name="report_publish"),
    path("reports/<int:pk>/correct/", reports.staff_correct, name="report_correct"),
    path("plan/", crimeplan.plan_coverage_page, name="plan_coverage"),
    path("plan/export.csv", crimeplan.plan_coverage_export, name="plan_coverage_export"),
    path("patrols/", patrols.panel, name="patrols"),
    path("patrols/export.csv", patrols.export, name="patrols_export"),
    path("patrols/hotspots/<int:pk>/", patrols.hotspot, name="patrols_hotspot"),
]
