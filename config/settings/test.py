"""The test suite: `make test` sets DATABASE_URL (PostgreSQL) and REDIS_URL before this loads."""

from .base import *  # noqa: F403
from .base import env, portal_languages

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="test-only-not-secret-7e6d5c4b3a2f1e0d9c8b7a6f")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from static/, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No page in a test asks a tile server for the map unless the test points MAP_TILE_URL at one
# that it answers itself (tests/fixtures/browser.py).
MAP_TILE_URL = ""
# Tests sign staff in with client.force_login and the browser's password step alone; the
# second factor's own tests (tests/officers/test_second_factor*.py) switch it on.
MFA_ENFORCED = False
# English and Welsh, as a force in Wales runs it; PORTAL_LANGUAGES=en shows English alone.
LANGUAGES = portal_languages(env.list("PORTAL_LANGUAGES", default=["en", "cy"]))
