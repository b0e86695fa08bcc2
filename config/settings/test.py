"""The test suite: `make test` sets DATABASE_URL (PostgreSQL) and REDIS_URL before this loads."""

import os

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, env, portal_languages

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

# `make test` runs the suite in a process per core (pytest-xdist): each has a test database of
# its own (pytest-django names it) and a Redis database of its own, 1, 2, ... on the suite's
# Redis, so one process's Celery worker never takes the other's tasks and a cache one clears is
# not the other's.
_TEST_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
if REDIS_URL and _TEST_PROCESS:
    REDIS_URL = f"{REDIS_URL.rsplit('/', 1)[0]}/{int(_TEST_PROCESS.removeprefix('gw')) + 1}"
    CACHES["default"]["LOCATION"] = REDIS_URL
    CELERY_BROKER_URL = REDIS_URL
