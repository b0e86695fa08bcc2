"""The public data API, compatible with data.police.uk's neighbourhood methods.

The paths are data.police.uk's, without trailing slashes. Fixed paths come before the
`<force>/...` ones, so a force can never shadow them; anything else answers a JSON 404.
"""

from django.urls import path, re_path

from api import performance
from api import views as api

app_name = "api"
urlpatterns = [
    path("openapi.json", api.openapi_document, name="openapi"),
    path("forces", api.force_list, name="force_list"),
    path("forces/<str:force>", api.force_detail, name="force_detail"),
    path("locate-neighbourhood", api.locate_neighbourhood, name="locate_neighbourhood"),
    # The Guarantee figures as open data (api.performance), before the `<force>/...` paths.
    *[
        path(f"performance/{route}.{fmt}", view, {"fmt": fmt}, name=name + suffix)
        for route, view, name in (
            ("force", performance.force_figures, "performance_force"),
            ("divisions/<str:division>", performance.division_figures, "performance_division"),
            (
                "neighbourhoods/<str:neighbourhood>",
                performance.neighbourhood_figures,
                "performance_neighbourhood",
            ),
        )
        for fmt, suffix in (("json", ""), ("csv", "_csv"))
    ],
    path("<str:force>/neighbourhoods", api.neighbourhood_list, name="neighbourhood_list"),
    path("<str:force>/<str:neighbourhood>", api.neighbourhood_detail, name="neighbourhood"),
    path(
        "<str:force>/<str:neighbourhood>/boundary",
        api.neighbourhood_boundary,
        name="neighbourhood_boundary",
    ),
    path(
        "<str:force>/<str:neighbourhood>/people",
        api.neighbourhood_people,
        name="neighbourhood_people",
    ),
    path(
        "<str:force>/<str:neighbourhood>/events",
        api.neighbourhood_events,
        name="neighbourhood_events",
    ),
    path(
        "<str:force>/<str:neighbourhood>/priorities",
        api.neighbourhood_priorities,
        name="neighbourhood_priorities",
    ),
    re_path(r"^(?P<path>.*)$", api.not_found, name="not_found"),
]
