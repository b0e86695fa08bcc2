"""GeoReport v2, each method as .json or .xml; anything else answers the spec's 404."""

from django.urls import path, re_path

from api.open311 import views

FMT = r"\.(?P<fmt>[a-z]+)$"

app_name = "open311"
urlpatterns = [
    path("openapi.json", views.openapi_document, name="openapi"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<reference>[^/]+?)" + FMT, views.request_detail, name="request"),
    re_path(r"^(?P<path>[\s\S]*)\Z", views.not_found, name="not_found"),
]
