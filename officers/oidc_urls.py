"""The identity provider's two addresses, under the names mozilla-django-oidc reverses."""

from django.urls import path

from officers.views.oidc import SignInCallback, SignInStart

urlpatterns = [
    path("authenticate/", SignInStart.as_view(), name="oidc_authentication_init"),
    path("callback/", SignInCallback.as_view(), name="oidc_authentication_callback"),
]
