"""The portal's URLs plus a bare view, so both are served by the same stack in bench/pages.py."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *portal_urlpatterns]
