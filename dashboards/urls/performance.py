"""The public performance pages, under /performance/: the force, how the figures are counted,
and each division by its slug (as the dashboards' scopes name divisions)."""

from django.urls import path

from dashboards.views import performance as views

app_name = "performance"
urlpatterns = [
    path("", views.force, name="force"),
    path("how-we-count/", views.how_we_count, name="how_we_count"),
    path("<slug:slug>/", views.division, name="division"),
]
