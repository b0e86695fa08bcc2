"""The portal's URLs plus views that fail on purpose, to show each styled error page."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bad_request(request):
    raise BadRequest("test")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a deliberate failure")


urlpatterns = [
    *urlpatterns,
    path("fail/400/", bad_request),
    path("fail/403/", forbidden),
    path("fail/500/", broken),
]
