from django.urls import path

from patrols import views

app_name = "patrols"
urlpatterns = [
    path("patrols/", views.force_summary, name="force"),
    path("patrols/export.csv", views.force_csv, name="force_csv"),
    path("patrols/<slug:division>/", views.division_summary, name="division"),
    path("patrols/<slug:division>/export.csv", views.division_csv, name="division_csv"),
    path("neighbourhoods/<slug:slug>/patrols/", views.neighbourhood_summary, name="neighbourhood"),
    path(
        "neighbourhoods/<slug:slug>/patrols/export.csv",
        views.neighbourhood_csv,
        name="neighbourhood_csv",
    ),
]
