"""Production: secrets from the environment, HTTPS everywhere, nothing that matters defaulted."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
# No default: a missing secret stops start-up with a clear message.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Production needs a long random secret key in the "
        "environment, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
# No default: the count depends on what stands in front of gunicorn, and a wrong guess lets a
# client pick its own address (X-Forwarded-For) and escape rate limits and the sign-in lockout.
_trusted_proxy_count = env.str("TRUSTED_PROXY_COUNT", default="").strip()
if not _trusted_proxy_count.isdigit():
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT is not set{' to a whole number' if _trusted_proxy_count else ''}. "
        "Production needs the number of reverse proxies in front of the portal that append the "
        "client's address to X-Forwarded-For: 0 when gunicorn faces clients directly, 1 behind "
        "one nginx or load balancer, 2 behind a CDN and a load balancer (see the README)."
    )
TRUSTED_PROXY_COUNT = int(_trusted_proxy_count)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain to HTTPS in browsers for good: the force's domain
    # owners decide it (SECURE_HSTS_PRELOAD=true), so its absence is not a warning here.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.bool(
    "ALLOW_SQLITE_IN_PRODUCTION", default=False
):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Production runs on PostgreSQL, e.g. "
        "DATABASE_URL=postgres://portal:password@db.internal:5432/portal"
    )
SEED_DEMO_ALLOWED = False
