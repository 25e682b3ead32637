"""Settings shared by every environment. Environment variables override the defaults.

Secrets have no default here: `local.py` and `test.py` give throwaway ones, `production.py` requires them.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .object_storage import filesystem_storages, s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Reads a strict boolean from the environment: 1/true/yes/on or 0/false/no/off."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_secret(name: str) -> str | None:
    """A secret from NAME or from the file named by NAME_FILE (container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name)


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "layak.common",
    "layak.audit",
    "layak.regions",
    "layak.accounts",
    "layak.frameworks",
    "layak.evaluations",
    "layak.evidence",
    "layak.reviews",
    "layak.dashboards",
    "layak.taskforces",
    "layak.plans",
    "layak.trainings",
    "layak.partners",
    "layak.participation",
    "layak.reports",
    "layak.protection",
    "layak.facilities",
    "layak.villages",
    "layak.readiness",
    "layak.notifications",
    "layak.jobs",
    "layak.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before every middleware that reads or writes the body, so that it compresses what they made.
    "layak.common.middleware.CompressedTextMiddleware",
    "layak.common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "layak.common.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "layak.accounts.middleware.CachedOTPMiddleware",
    "layak.accounts.middleware.IdleTimeoutMiddleware",
    "layak.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "layak.common.errors.MethodNotAllowedMiddleware",
    # Last, as django-axes asks: it turns a refused login of a locked-out account into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Load balancers probe /healthz over plain HTTP inside the network: never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "layak.accounts.context_processors.layak",
                "layak.notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username before the password is even checked.
# Then Django's ModelBackend, reading the signed-in user of each request from the shared cache (decision 0034).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "layak.accounts.backends.CachedModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("LAYAK_MEDIA_ROOT", BASE_DIR / "media"))
# Evidence ("default"), the parts of resumable uploads ("uploads") and generated bundles ("exports"): folders under
# MEDIA_ROOT by default; with LAYAK_S3_BUCKET, one private bucket of an S3-compatible object store (decision 0011).
LAYAK_S3_BUCKET = os.environ.get("LAYAK_S3_BUCKET", "")
STORAGES = {
    **(
        s3_storages(
            bucket=LAYAK_S3_BUCKET,
            endpoint_url=os.environ.get("LAYAK_S3_ENDPOINT_URL", ""),
            region=os.environ.get("LAYAK_S3_REGION", ""),
            access_key=env_secret("LAYAK_S3_ACCESS_KEY_ID"),
            secret_key=env_secret("LAYAK_S3_SECRET_ACCESS_KEY"),
            addressing_style=os.environ.get("LAYAK_S3_ADDRESSING_STYLE", ""),
        )
        if LAYAK_S3_BUCKET
        else filesystem_storages()
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The job queue (decision 0010): Django's tasks API (the django-tasks backport) with its database backend. Jobs
# wait in the database; `manage.py run_worker` (started by `make run`, or N of them on any machines in
# production) runs them. Tests use the immediate backend, which runs a job at once in the same process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Imports of a file larger than this (bytes) run as a job; smaller ones answer in the request.
LAYAK_IMPORT_JOB_BYTES = env_int("LAYAK_IMPORT_JOB_BYTES", 256 * 1024)
# The address people open Layak at, for links in e-mails.
LAYAK_SITE_URL = os.environ.get("LAYAK_SITE_URL", "http://127.0.0.1:8000")
# What the worker of `make run` (`run_worker --periodic`) enqueues, and how often (seconds). Production runs the
# commands `send_reminders` (daily) and `sweep_uploads` (hourly) from cron or a systemd timer instead.
LAYAK_PERIODIC_TASKS = [
    ("layak.reviews.reminders.send_reminders_task", 24 * 3600),
    ("layak.evidence.tasks.sweep_uploads_task", 3600),
]
# E-mail reminders: days before a stage's deadline when a reminder goes out.
LAYAK_REMINDER_DAYS = [int(d) for d in os.environ.get("LAYAK_REMINDER_DAYS", "7,3,1").split(",") if d.strip()]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Layak <no-reply@layak.local>")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "layak",
    }
}
# With REDIS_URL (required in production, `check --deploy` says so), the cache, the sessions' cache and the
# rate-limit counters are shared by every app server; without it (`make run`, one process) they stay in memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "layak.common.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("LAYAK_CACHE_PREFIX", "layak"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated), for rate limits
# and the audit log; empty: REMOTE_ADDR is the client.
# The Content-Security-Policy of every page: Layak's own scripts and styles only, map tiles from OpenStreetMap.
LAYAK_CSP = os.environ.get(
    "LAYAK_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
# Login throttling (django-axes): after LAYAK_LOGIN_FAILURE_LIMIT wrong passwords a username is locked for
# LAYAK_LOGIN_COOLOFF_MINUTES, or until a national admin unlocks it (audited) on /accounts/lockouts/.
AXES_FAILURE_LIMIT = env_int("LAYAK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LAYAK_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that locking by username alone ignores the address. Deliberate: a district office signs in
# from one NAT address, so locking an address would lock everyone there; the locked thing is the account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "layak.common.net.client_ip"
AXES_LOCKOUT_CALLABLE = "layak.accounts.views.locked_out"
AXES_ENABLE_ADMIN = False  # unlocking goes through Layak's audited page, not the admin's delete
AXES_VERBOSE = False
# Two-factor sign-in (django-otp, TOTP with recovery codes): required for national admins, province roles and
# independent evaluators; optional for everyone else. Tests switch it on where they test it.
LAYAK_2FA_REQUIRED = env_bool("LAYAK_2FA_REQUIRED", True)
OTP_TOTP_ISSUER = "Layak"
# A signed-in session ends after this many minutes without a request (and at the latest after 12 hours).
LAYAK_IDLE_TIMEOUT_MINUTES = env_int("LAYAK_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = 12 * 3600
# Anonymous requests to the open-data API per client IP ("60/m"; units s, m, h, d).
LAYAK_API_ANON_RATE = os.environ.get("LAYAK_API_ANON_RATE", "60/m")
LAYAK_TRUSTED_PROXIES = [p for p in os.environ.get("LAYAK_TRUSTED_PROXIES", "").split(",") if p.strip()]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Layak's own settings.
LAYAK_DATA_DIR = BASE_DIR / "data"
LAYAK_FRAMEWORKS_DIR = LAYAK_DATA_DIR / "frameworks"
# Largest evidence file accepted, in bytes (20 MB by default).
LAYAK_EVIDENCE_MAX_BYTES = env_int("LAYAK_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# Child-protection figures (layak.protection): counts below this are published as "<N" (zero included), and
# a count above FACTOR x the mean of the WINDOW periods before it (rising by at least MIN_INCREASE) is flagged.
LAYAK_PROTECTION_THRESHOLD = env_int("LAYAK_PROTECTION_THRESHOLD", 5)
# Pages every anonymous visitor shares (public portal, open-data API) read the results stamp at most this often
# per process: a change reaches newcomers within this many seconds (decision 0016); 0 reads it on every request.
LAYAK_DASHBOARDS_PUBLIC_STAMP_SECONDS = env_int("LAYAK_DASHBOARDS_PUBLIC_STAMP_SECONDS", 2)
LAYAK_PROTECTION_JUMP_FACTOR = float(os.environ.get("LAYAK_PROTECTION_JUMP_FACTOR", "3"))
LAYAK_PROTECTION_JUMP_WINDOW = env_int("LAYAK_PROTECTION_JUMP_WINDOW", 6)
LAYAK_PROTECTION_JUMP_MIN_INCREASE = env_int("LAYAK_PROTECTION_JUMP_MIN_INCREASE", 10)

# The facility map's tile layer (layak.facilities): a deployment may point it at its own tile server; empty for none
# (the map then shows the markers on a blank background and the lists beside it).
LAYAK_MAP_TILE_URL = os.environ.get("LAYAK_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
