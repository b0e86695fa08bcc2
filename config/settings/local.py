"""A developer's machine and `make run`: the embedded defaults, a fixed secret, and the portal's
own error pages. `make dev` (or `DJANGO_DEBUG=true`) turns Django's debug pages on."""

from .base import *  # noqa: F403
from .base import env, portal_languages

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="local-only-not-secret-0f3c9b1e8d7a6c5b4a3f2e1d0c9b8a7f"
)
# Links in emails, feeds and the API point at the port the portal runs on: `PORT=8080 make run`
# gives http://127.0.0.1:8080 unless SITE_URL says otherwise.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip(
    "/"
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
# Security keys need a host name: open the portal at http://localhost:<port> to try one.
WEBAUTHN_SITE_URL = SITE_URL.replace("://127.0.0.1", "://localhost")
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="localhost")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ORIGINS", default=[WEBAUTHN_SITE_URL])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from static/ with debug off too, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# DEMO ONLY: the demo sign-ins (officer, sergeant, opcc, admin, asblead) skip the second factor,
# so the demo can be tried at once. Any other account, and these in production, must set one up.
MFA_SKIP_USERNAMES = ["officer", "sergeant", "opcc", "admin", "asblead"]
# English and Welsh, as a force in Wales runs it; PORTAL_LANGUAGES=en shows English alone.
LANGUAGES = portal_languages(env.list("PORTAL_LANGUAGES", default=["en", "cy"]))
