"""Settings shared by every environment. Everything that varies comes from `env`."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------------------------
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# The portal's apps, lowest layer first: an app imports only those above it in this list
# (lint-imports checks it; the README's "Architecture" says what each owns).
PORTAL_APPS = [
    "audit",
    "notifications",
    "neighbourhoods",
    "officers",
    "engagement",
    "meetings",
    "crimeplan",
    "alerts",
    "queries",
    "asb",
    "patrols",
    "dashboards",
    "api",
]

INSTALLED_APPS = [
    "config.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "simple_history",
    "mozilla_django_oidc",
    *PORTAL_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.permissions_policy",
    "config.middleware.staff_never_cache",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the address (/cy/...), English for every unprefixed one; put back to
    # the default once the answer is made, so nothing after a request inherits it.
    "config.languages.language_reset",
    "django.middleware.locale.LocaleMiddleware",
    "config.languages.remembered_language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF's check, sign-in lockout), after the session and
    # user its refusal page shows.
    "config.middleware.request_body_limit",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Staff signed in through the identity provider are sent back to it (silently, when their
    # sign-in there holds) once their ID token is OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS old.
    "officers.oidc.SessionRefresh",
    # Who verified a second factor (request.user.is_verified()), then the staff areas' rule that
    # a password alone is not enough (officers.second_factor).
    "django_otp.middleware.OTPMiddleware",
    "officers.middleware.second_factor_required",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.origin.audit_origin",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.portal",
                "config.languages.languages",
            ],
            "builtins": ["config.templatetags"],
        },
    },
]

# --- Database: DATABASE_URL, else an SQLite file under var/ -----------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Web, worker and beat share one file: WAL lets readers and a writer work together,
    # IMMEDIATE takes the write lock at BEGIN so two writers queue instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer (hung, or a network that drops packets) fails the request
    # after this many seconds instead of holding it until gunicorn kills the worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
    # PostgreSQL's JIT compiles the dashboards' larger aggregates before running them, which
    # cost 55 to 110 ms a statement here and saved less: with it off the force's 12-month page
    # at 1,000,000 clocks took 750 ms instead of 893 ms (bench/dashboard.py). Web requests run
    # short statements; a DATABASE_URL that passes its own `options` keeps them.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery broker: REDIS_URL, else embedded defaults --------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A hung Redis must not hold a request: short timeouts, and after a failure the cache is
    # skipped for CACHE_PAUSE_SECONDS (config.cache_backends).
    CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
    CACHES = {
        "default": {
            "BACKEND": "config.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # The worker and beat: a dead connection is noticed, not waited on for ever. Publishing
    # from requests has its own shorter timeouts (config.publishing).
    BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=10)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "visibility_timeout": 3600,
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
    }
else:
    # A cache every process on the machine shares, and kombu's filesystem transport, so a
    # real worker and beat run with no server installed.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://localhost//"
    _queue_dir = VAR_DIR / "celery" / "queue"
    _control_dir = VAR_DIR / "celery" / "control"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
    for _folder in (_queue_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)

CACHE_PAUSE_SECONDS = env.float("CACHE_PAUSE_SECONDS", default=10)
# Publishing a task is a hint: the row it works on is committed, and a periodic task sends what
# is left. A publish waits at most this long, and after a failure publishing pauses a while.
BROKER_PUBLISH_TIMEOUT_SECONDS = env.float("BROKER_PUBLISH_TIMEOUT_SECONDS", default=0.5)
BROKER_PUBLISH_PAUSE_SECONDS = env.float("BROKER_PUBLISH_PAUSE_SECONDS", default=15)

# Rate limits count here while the shared cache cannot be reached, so they keep holding through
# a Redis outage. Its table is made by `migrate` (config.apps).
RATE_LIMIT_FALLBACK_CACHE = "rate-limits"
CACHES[RATE_LIMIT_FALLBACK_CACHE] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "portal_rate_limits",
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}

# Each process's own memory, for what is cheap to rebuild and checked against a shared version.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-local",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often the beat sweeps for queries whose next escalation step is due.
SLA_SWEEP_MINUTES = env.int("SLA_SWEEP_MINUTES", default=5)
# Periodic tasks, added by each app as it gains them (name -> {"task", "schedule"}).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "clear-expired-sessions": {
        "task": "officers.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    # Boundary changes relocate their postcodes at once; this catches any that were missed.
    "relocate-all-postcodes": {
        "task": "neighbourhoods.tasks.relocate_postcodes",
        "schedule": crontab(hour=2, minute=30),
    },
    "sla-sweep": {
        "task": "queries.tasks.run_sla_sweep",
        "schedule": timedelta(minutes=SLA_SWEEP_MINUTES),
    },
    # Emails whose publish was skipped (broker down or hung) go within a minute of its return.
    "resend-unsent-emails": {
        "task": "notifications.tasks.resend_unsent_emails",
        "schedule": timedelta(seconds=30),
    },
    "anonymise-expired-queries": {
        "task": "queries.tasks.anonymise_expired_queries",
        "schedule": crontab(hour=3, minute=45),
    },
    "materialise-series": {
        "task": "meetings.tasks.materialise_series",
        "schedule": crontab(hour=1, minute=20),
    },
    "send-event-reminders": {
        "task": "meetings.tasks.send_event_reminders",
        "schedule": crontab(minute=10),
    },
    "forget-expired-emails": {
        "task": "notifications.tasks.forget_expired_emails",
        "schedule": crontab(hour=3, minute=55),
    },
    "anonymise-registrations": {
        "task": "meetings.tasks.anonymise_registrations",
        "schedule": crontab(hour=3, minute=50),
    },
    "notify-stale-listings": {
        "task": "meetings.tasks.notify_stale_listings",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    "notify-overdue-priorities": {
        "task": "engagement.tasks.notify_overdue_priorities",
        "schedule": crontab(day_of_week="mon", hour=7, minute=40),
    },
    "send-unsent-alerts": {
        "task": "alerts.tasks.send_alerts",
        "schedule": timedelta(minutes=5),
    },
    "send-alert-digests": {
        "task": "alerts.tasks.send_alert_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "record-survey-openings": {
        "task": "alerts.tasks.record_survey_openings",
        "schedule": crontab(minute=5),
    },
    "purge-alert-subscribers": {
        "task": "alerts.tasks.purge_subscribers",
        "schedule": crontab(hour=4, minute=5),
    },
    "delete-unconfirmed-answers": {
        "task": "engagement.tasks.delete_unconfirmed_answers",
        "schedule": crontab(hour=4, minute=10),
    },
    "purge-audit-records": {
        "task": "audit.tasks.purge_audit_records",
        "schedule": crontab(hour=4, minute=20),
    },
    "clear-expired-pending-photos": {
        "task": "officers.tasks.clear_expired_pending_photos",
        "schedule": crontab(minute=40),
    },
}

# --- Email: EMAIL_URL, else files under var/mail/ ----------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="neighbourhoods@example.police.uk")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds each step of talking to the mail server may wait (connecting, each command, DATA).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Auth -------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Passwords; only superusers' when LOCAL_PASSWORD_SIGN_IN is off (officers.oidc).
    "officers.oidc.LocalPasswordBackend",
    # The force's identity provider, when OIDC_ISSUER and OIDC_CLIENT_ID are set.
    "officers.oidc.ProviderBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "officers:login"
LOGIN_REDIRECT_URL = "officers:staff_home"
LOGOUT_REDIRECT_URL = "neighbourhoods:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Five wrong passwords lock one account from one address; twenty from one address across any
# usernames (password spraying) lock every account from there (officers.sign_in).
SIGN_IN_FAILURES_PER_ACCOUNT = env.int("SIGN_IN_FAILURES_PER_ACCOUNT", default=5)
SIGN_IN_FAILURES_PER_ADDRESS = env.int("SIGN_IN_FAILURES_PER_ADDRESS", default=20)
AXES_FAILURE_LIMIT = "officers.sign_in.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The lockout page, saying when sign-in opens again.
AXES_LOCKOUT_CALLABLE = "officers.sign_in.locked_out"
AXES_CLIENT_IP_CALLABLE = "config.http.client_ip"
# Days the audit of who saw residents' details and who changed what is kept, then purged.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)
# How many reverse proxies in front of the portal append to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

SESSION_COOKIE_HTTPONLY = True
# A staff session ends this long after sign-in, however it was made.
SESSION_COOKIE_AGE = env.int("SESSION_MAX_AGE_HOURS", default=8) * 60 * 60

# --- Single sign-on through the force's OpenID Connect provider (officers.oidc) ---------------
# Off unless both the issuer and the client id are set. Endpoints come from the issuer's
# discovery document (<issuer>/.well-known/openid-configuration) unless set here.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_ENDPOINT", default="")
# Signing out of a provider session signs out there too (officers.oidc.provider_sign_out_url).
OIDC_OP_END_SESSION_ENDPOINT = env.str("OIDC_END_SESSION_ENDPOINT", default="")
OIDC_OP_LOGOUT_URL_METHOD = "officers.oidc.provider_sign_out_url"
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
# The claim that lists the user's groups, and which group gives which role: each sign-in sets
# the roles named here to exactly those the groups give (other roles are left alone).
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
OIDC_GROUP_ROLES = env.dict("OIDC_GROUP_ROLES", default={})
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your force account")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10)
# How long an ID token counts as fresh before the provider is asked again.
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env.int("OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS", default=15 * 60)
OIDC_AUTHENTICATE_CLASS = "officers.views.oidc.SignInStart"
OIDC_CALLBACK_CLASS = "officers.views.oidc.SignInCallback"
# Kept in the session for the provider's sign-out (its id_token_hint).
OIDC_STORE_ID_TOKEN = True
# Password sign-in for everyone; when false only superusers may use it (break-glass).
LOCAL_PASSWORD_SIGN_IN = env.bool("LOCAL_PASSWORD_SIGN_IN", default=True)
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token travels in hx-headers.

# --- The map of a neighbourhood's area --------------------------------------------------------
# Map tiles, as a Leaflet URL template ({s} subdomain, {z}/{x}/{y} tile); empty for no map, when
# the page shows the boundary's outline alone. The tile server's origin is allowed in img-src.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# Shown on the map as HTML: the tile server's licence usually requires it.
MAP_ATTRIBUTION = env.str(
    "MAP_ATTRIBUTION",
    default='© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
_map_tiles = urlsplit(MAP_TILE_URL.replace("{s}", "*"))
MAP_TILE_ORIGINS = (
    [f"{_map_tiles.scheme}://{_map_tiles.netloc}"]
    if _map_tiles.scheme and _map_tiles.netloc
    else []
)

# --- Content security policy: nothing inline, nothing from another origin but map tiles -------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MAP_TILE_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
# Browser features pages may use: the location, for "Use my location" on the portal's own
# pages; nothing else. Feature name -> allowed origins ("self"); [] turns a feature off.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": [],
    # Security keys and passkeys, the second factor's (officers.second_factor).
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Internationalisation ---------------------------------------------------------------------
# English is the default language and keeps the portal's unprefixed addresses; every other
# language in PORTAL_LANGUAGES (a force in Wales sets "en,cy") has its public pages under
# /<code>/. English alone: no language switcher and no prefixed addresses.
LANGUAGE_CODE = "en-gb"
LANGUAGE_NAMES = {"en-gb": "English", "cy": "Cymraeg"}


def portal_languages(codes: list[str]) -> list[tuple[str, str]]:
    """LANGUAGES from PORTAL_LANGUAGES: English first whatever the order, "en" meaning en-gb."""
    chosen = {"en-gb" if c in ("en", "en-gb") else c for c in (x.strip().lower() for x in codes)}
    unknown = chosen - LANGUAGE_NAMES.keys()
    if unknown:
        raise ValueError(f"PORTAL_LANGUAGES names languages the portal has no text for: {unknown}")
    return [(code, name) for code, name in LANGUAGE_NAMES.items() if code in chosen | {"en-gb"}]


LANGUAGES = portal_languages(env.list("PORTAL_LANGUAGES", default=["en"]))
LOCALE_PATHS = [BASE_DIR / "locale"]
# Set by the language switcher, so a resident who chose Welsh is taken to the Welsh pages.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Django serves uploads itself on a developer's machine and in tests; production's proxy does.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logging: to stderr, where the process manager collects it ---------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- The portal -------------------------------------------------------------------------------
DEMO_FORCE_NAME = "Derbyshire Constabulary (demo)"
FORCE_NAME = env.str("FORCE_NAME", default=DEMO_FORCE_NAME)
# The force's name on Welsh pages and in Welsh emails (config.bilingual.setting_in_language);
# empty: the English name, marked lang="en". The demo force has its own; a force that sets its
# name and not this one shows its English name rather than the demo's Welsh.
FORCE_NAME_CY = env.str(
    "FORCE_NAME_CY",
    default="Heddlu Swydd Derby (demo)" if FORCE_NAME == DEMO_FORCE_NAME else "",
)
FORCE_SLUG = env.str("FORCE_SLUG", default="derbyshire")
FORCE_NON_EMERGENCY_NUMBER = env.str("FORCE_NON_EMERGENCY_NUMBER", default="101")
# Where "Exit this page" sends a resident: a neutral site, replacing this one in history.
EXIT_PAGE_URL = env.str("EXIT_PAGE_URL", default="https://www.bbc.co.uk/weather")
# Where "report it online" links: the force's own online reporting page in production.
REPORT_ONLINE_URL = env.str(
    "REPORT_ONLINE_URL",
    default="https://www.police.uk/pu/contact-the-police/report-a-crime-incident/",
)
# Where a resident whose postcode is not in this force's area finds their own team.
POLICE_UK_AREA_URL = env.str("POLICE_UK_AREA_URL", default="https://www.police.uk/pu/your-area/")
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
FORM_RENDERER = "config.forms.GovukFormRenderer"
SEED_DEMO_ALLOWED = True
AXES_VERBOSE = False

# --- The second factor for staff (officers.second_factor) ---------------------------------------
# Administrators and OPCC always need an authenticator app on top of their password; with this
# on, every staff account does.
MFA_REQUIRED_FOR_ALL = env.bool("MFA_REQUIRED_FOR_ALL", default=True)
# Off only in the test settings, for the many tests that sign staff in without a device (the
# second factor's own tests turn it on); no environment variable turns it off.
MFA_ENFORCED = True
# Usernames that never need a second factor: the demo sign-ins, in the local settings only.
MFA_SKIP_USERNAMES: list[str] = []
# Wrong codes (authenticator or recovery) before the second step locks, and for how long: as
# wrong passwords do (SIGN_IN_FAILURES_PER_ACCOUNT, AXES_COOLOFF_TIME).
MFA_FAILURE_LIMIT = env.int("MFA_FAILURE_LIMIT", default=5)
MFA_LOCK_TIME = AXES_COOLOFF_TIME
# Codes sent to the second step and the setup page, per address and per account, over
# QUERY_RATE_LIMIT_WINDOW_SECONDS.
MFA_RATE_LIMIT_PER_IP = env.int("MFA_RATE_LIMIT_PER_IP", default=60)
MFA_RATE_LIMIT_PER_ACCOUNT = env.int("MFA_RATE_LIMIT_PER_ACCOUNT", default=20)
MFA_RECOVERY_CODES = 10
# The name authenticator apps show beside the codes.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Neighbourhood Portal")
# django-otp's own delay between attempts (1, 2, 4, 8 seconds…) is off: the lock above counts
# wrong codes instead, and tells the person when they can try again.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Security keys and passkeys (django-otp-webauthn), as a second factor only: never a sign-in
# without the password. They belong to the portal's domain (WEBAUTHN_RP_ID, a host name, not an
# IP address) and work only on the origins listed (WEBAUTHN_ORIGINS: https://, or
# http://localhost; SITE_URL's by default, 127.0.0.1 read as localhost).
WEBAUTHN_SITE_URL = SITE_URL.replace("://127.0.0.1", "://localhost")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default=urlsplit(WEBAUTHN_SITE_URL).hostname)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ORIGINS", default=[WEBAUTHN_SITE_URL])
# Officer photos: the largest upload accepted, before it is re-encoded.
OFFICER_PHOTO_MAX_BYTES = env.int("OFFICER_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
# The largest request body read at all, by its Content-Length: the photo form (the largest)
# with room for its other fields. Cap the proxy's request size to match.
REQUEST_BODY_MAX_BYTES = env.int(
    "REQUEST_BODY_MAX_BYTES", default=OFFICER_PHOTO_MAX_BYTES + 2 * 1024 * 1024
)

# --- Queries and the response guarantee --------------------------------------------------------
RESPONSE_TARGET_HOURS = env.int("RESPONSE_TARGET_HOURS", default=72)
# Each step: its name, hours after the clock started, and who hears of it.
QUERY_ESCALATION_LADDER = [
    {"step": "reminder", "after_hours": 48, "notify": ["assigned_officer"]},
    {"step": "breach", "after_hours": 72, "notify": ["sergeant"]},
    {"step": "escalation", "after_hours": 96, "notify": ["inspector", "opcc"]},
]
# A query whose message reads as an emergency (queries.urgency) is flagged: its holder and the
# sergeant are asked to look if nobody has answered it within this many hours.
QUERY_URGENT_FIRST_LOOK_HOURS = env.int("QUERY_URGENT_FIRST_LOOK_HOURS", default=1)
OPCC_CONTACT_EMAIL = env.str("OPCC_CONTACT_EMAIL", default="opcc@example.police.uk")
QUERY_RETENTION_DAYS = env.int("QUERY_RETENTION_DAYS", default=395)
QUERY_MESSAGE_MAX_LENGTH = 2000
# The rules that spot an emergency typed into the query form; a force points this at its own copy.
QUERY_URGENCY_RULES = env.str(
    "QUERY_URGENCY_RULES", default=str(BASE_DIR / "queries" / "urgency_rules.json")
)
# The two letters that start every query reference, e.g. DY-7K3P-Q9X.
QUERY_REFERENCE_PREFIX = env.str("QUERY_REFERENCE_PREFIX", default="DY")
# Submissions allowed per window, per IP address and per email address.
QUERY_RATE_LIMIT_PER_IP = env.int("QUERY_RATE_LIMIT_PER_IP", default=5)
QUERY_RATE_LIMIT_PER_EMAIL = env.int("QUERY_RATE_LIMIT_PER_EMAIL", default=3)
QUERY_RATE_LIMIT_WINDOW_SECONDS = env.int("QUERY_RATE_LIMIT_WINDOW_SECONDS", default=3600)
# Each Open311 client's own limit (set in the admin) counts over this window.
OPEN311_RATE_LIMIT_WINDOW_SECONDS = env.int("OPEN311_RATE_LIMIT_WINDOW_SECONDS", default=3600)
# Requests for a new tracking link allowed per window, per IP address and per email address.
QUERY_NEW_LINK_RATE_LIMIT_PER_IP = env.int("QUERY_NEW_LINK_RATE_LIMIT_PER_IP", default=5)
QUERY_NEW_LINK_RATE_LIMIT_PER_EMAIL = env.int("QUERY_NEW_LINK_RATE_LIMIT_PER_EMAIL", default=3)
# Follow-up messages on a tracking page (each one emails the officers), per hour.
FOLLOW_UP_RATE_LIMIT_PER_IP = env.int("FOLLOW_UP_RATE_LIMIT_PER_IP", default=20)
FOLLOW_UP_RATE_LIMIT_PER_QUERY = env.int("FOLLOW_UP_RATE_LIMIT_PER_QUERY", default=5)
# Answers to "Did this answer your query?", per IP address and per query.
FEEDBACK_RATE_LIMIT_PER_IP = env.int("FEEDBACK_RATE_LIMIT_PER_IP", default=20)
FEEDBACK_RATE_LIMIT_PER_QUERY = env.int("FEEDBACK_RATE_LIMIT_PER_QUERY", default=5)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# A worker's claim on an outbox email it is sending: one older than this belongs to a worker
# that died mid-send, and the email is sent again (with the same Message-ID). It must outlast
# the slowest live send, eight SMTP steps (connect, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT,
# DATA) of up to EMAIL_TIMEOUT each, or a live send could be claimed twice.
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=9 * EMAIL_TIMEOUT)
if OUTBOX_CLAIM_SECONDS <= 8 * EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        f"OUTBOX_CLAIM_SECONDS ({OUTBOX_CLAIM_SECONDS}) must be more than eight times "
        f"EMAIL_TIMEOUT ({EMAIL_TIMEOUT}), or a slow live send could be claimed twice."
    )

# --- Beat meetings and events ------------------------------------------------------------------
# The domain in every event's iCalendar UID: set once and never change it, or calendars that
# subscribed see every event twice.
ICAL_UID_DOMAIN = env.str("ICAL_UID_DOMAIN", default="neighbourhoods.example.police.uk")
# A series' occurrences are created this far ahead (by the nightly task and on creation).
SERIES_HORIZON_DAYS = env.int("SERIES_HORIZON_DAYS", default=120)
# Listings are stale with no beat meeting in this many weeks ahead, or a meeting held this many
# days ago with no outcome recorded.
STALE_NO_MEETING_WEEKS = env.int("STALE_NO_MEETING_WEEKS", default=6)
OUTCOME_OVERDUE_DAYS = env.int("OUTCOME_OVERDUE_DAYS", default=7)
# Registrations (names, emails, needs) are anonymised this many days after their event.
REGISTRATION_RETENTION_DAYS = env.int("REGISTRATION_RETENTION_DAYS", default=90)
# Registrations allowed per window, per IP address and per email address.
REGISTRATION_RATE_LIMIT_PER_IP = env.int("REGISTRATION_RATE_LIMIT_PER_IP", default=10)
REGISTRATION_RATE_LIMIT_PER_EMAIL = env.int("REGISTRATION_RATE_LIMIT_PER_EMAIL", default=5)

# --- Local priorities, Have your say and alerts -----------------------------------------------
# A current priority not updated for this many days (about three months) is overdue for review.
PRIORITY_REVIEW_DAYS = env.int("PRIORITY_REVIEW_DAYS", default=91)
# Survey answers, priority supports and alert sign-ups accepted per window, per IP and per email.
HAVE_YOUR_SAY_RATE_LIMIT_PER_IP = env.int("HAVE_YOUR_SAY_RATE_LIMIT_PER_IP", default=10)
HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL = env.int("HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL", default=5)
# Staff asking for password reset links (in QUERY_RATE_LIMIT_WINDOW_SECONDS).
PASSWORD_RESET_RATE_LIMIT_PER_IP = env.int("PASSWORD_RESET_RATE_LIMIT_PER_IP", default=10)
PASSWORD_RESET_RATE_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_RATE_LIMIT_PER_EMAIL", default=3)
# Requests that look up a secret (a password reset, a new tracking link) are answered this long
# after they began, whether or not anything matched (config.limits.steady_answer).
STEADY_ANSWER_SECONDS = 0.25
# A confirmation link (survey answer, support, alert sign-up) works for this many days.
CONFIRMATION_LINK_DAYS = env.int("CONFIRMATION_LINK_DAYS", default=7)
# Subscribers' emails are queued in batches of this many.
ALERT_BATCH_SIZE = env.int("ALERT_BATCH_SIZE", default=500)
# Alert emails hold the subscriber's address: the outbox forgets it after this many days.
ALERT_EMAIL_DAYS = 30

# --- The Guarantee in public: scorecards and open data ----------------------------------------
# A public figure counted over fewer queries than this shows only "fewer than N queries":
# no share and no typical time, so no one resident's query can be picked out.
PUBLIC_SUPPRESSION_THRESHOLD = env.int("PUBLIC_SUPPRESSION_THRESHOLD", default=5)
# The beat works the public figures out again this often; each is kept in the cache for longer.
PUBLIC_SCORECARD_REFRESH_MINUTES = env.int("PUBLIC_SCORECARD_REFRESH_MINUTES", default=15)
OGL_NAME = "Open Government Licence v3.0"
OPEN_DATA_LICENCE_NAME = env.str("OPEN_DATA_LICENCE_NAME", default=OGL_NAME)
# Its name on Welsh pages (the APIs keep the English); empty: the English, marked lang="en".
OPEN_DATA_LICENCE_NAME_CY = env.str(
    "OPEN_DATA_LICENCE_NAME_CY",
    default="Trwydded Llywodraeth Agored v3.0" if OPEN_DATA_LICENCE_NAME == OGL_NAME else "",
)
OPEN_DATA_LICENCE_URL = env.str(
    "OPEN_DATA_LICENCE_URL",
    default="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
CELERY_BEAT_SCHEDULE["refresh-public-scorecards"] = {
    "task": "dashboards.tasks.refresh_public_scorecards",
    "schedule": timedelta(minutes=PUBLIC_SCORECARD_REFRESH_MINUTES),
}
