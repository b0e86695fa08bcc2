"""The "Sign in with <provider>" button on the staff sign-in page, when SSO is configured."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

from officers.oidc import sso_enabled

register = template.Library()


@register.inclusion_tag("officers/_sso_sign_in.html")
def sso_sign_in(next_url: str = "") -> dict:
    if not sso_enabled():
        return {"enabled": False, "local_passwords": settings.LOCAL_PASSWORD_SIGN_IN}
    start = reverse("oidc_authentication_init")
    return {
        "enabled": True,
        "start_url": f"{start}?{urlencode({'next': next_url})}" if next_url else start,
        "provider_name": settings.OIDC_PROVIDER_NAME,
        "local_passwords": settings.LOCAL_PASSWORD_SIGN_IN,
    }
