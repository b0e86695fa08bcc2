"""Who is asking: the client's address when the portal runs behind proxies."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client, not of the proxy in front of the portal.

    With TRUSTED_PROXY_COUNT proxies in front (each appending to X-Forwarded-For), the client is
    the entry that many places from the right: entries further left could be forged by the
    client itself. With no trusted proxy, REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
