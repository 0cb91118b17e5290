"""Settings for every environment, read from the environment with defaults that
serve a newcomer: SQLite in the project folder and Celery tasks run in-process."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The fallback key only serves local development; production.py refuses to start without SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "inventory",
    "exchange",
    "web",
]

MIDDLEWARE = [
    "config.request_log.RequestLogMiddleware",
    "config.methods.UnservedMethodMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves static files before anything else runs; in production, the pre-compressed hashed copies.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON compressed for 3G; whitenoise answers before this runs, with files compressed once.
    "web.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
]

# Every page: its own scripts, styles, images and fonts only; images may be data: URIs; no plugins; never
# framed. config/security.py allows inline styles on the admin and the API's pages, which need them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "config.urls"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/api/"
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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite fail with "database is locked" unless each
    # transaction takes the write lock up front and waits for it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE columns) speed matching on PostgreSQL; SQLite builds them as plain indexes.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "es")
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Venezuelan numbers: 1.234,50 (Django's es groups with a space). Templates group with floatformat:"2g".
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "America/Caracas"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")

# Development and tests serve the source files as they are (no collectstatic needed);
# production.py switches to hashed, pre-compressed copies.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Labels above inputs, hints and errors beside the field, for every {{ field.as_field_group }}.
FORM_RENDERER = "web.forms.FormRenderer"

# Bounded bodies: a plant on a poor connection never needs more, and a hostile
# client cannot make the server hold more.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "intercambio@localhost")
# The site's address as its users reach it: e-mails, sent by a task with no request to ask, link to pages under it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "config.renderers.BrowsableAPIRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.BoundedJSONParser",
        "config.parsers.BoundedFormParser",
        "config.parsers.BoundedMultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.exception_handler",
    "VIEW_NAME_FUNCTION": "config.view_names.view_name",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonRateThrottle",
        "config.throttling.UserRateThrottle",
        "config.throttling.ScopedRateThrottle",
    ],
    # Throttles count per client address; trust X-Forwarded-For only from this many proxies in front,
    # or a client could pick a new address for every password guess.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("THROTTLE_USER", "1200/minute"),
        "token": os.environ.get("THROTTLE_TOKEN", "10/minute"),
        "login": os.environ.get("THROTTLE_LOGIN", "10/minute"),
    },
}

# API tokens (django-rest-knox): a new one per login, stored as a digest, ending after this many hours,
# at logout, or when the user's password changes (inventory/accounts.py).
TOKEN_TTL_HOURS = int(os.environ.get("TOKEN_TTL_HOURS", "720"))

# /api/stats/ and the admin dashboard pass over every match: their figures are shared through the cache
# for this many seconds (0: computed on every request), and say when they were computed.
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "15"))
REST_KNOX = {"TOKEN_TTL": timedelta(hours=TOKEN_TTL_HOURS), "AUTH_HEADER_PREFIX": "Token"}

SPECTACULAR_SETTINGS = {
    "TITLE": "Intercambio de repuestos",
    "DESCRIPTION": _("Spare-parts exchange between Venezuelan plants and machine shops."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
    ],
    # One schema name per choice set, whichever field uses it (and check --deploy stays quiet).
    "ENUM_NAME_OVERRIDES": {
        "CurrencyEnum": "exchange.models.Match.Currency",
        "DeclineReasonEnum": "exchange.models.DeclineReason",
        "ProcessEnum": "inventory.processes.Process",
    },
}

# Celery: with no broker configured, tasks run in-process so a newcomer needs nothing else.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Below Redis's one-hour visibility timeout, so a running task is never redelivered.
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down: the sweep catches up. One attempt
# (no retry) with socket timeouts: a broker that refuses answers at once; one that drops packets or
# accepts and never answers (a frozen Redis) costs one publish 2 s, and exchange.tasks.publish then
# skips the publishes that follow for a while (config/outage.py), so no write waits twice. The
# worker's own blocking reads wait 1 s, below the read timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}
# A failed publish is not retried inside the web request either.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "rematch-open-requests": {
        "task": "exchange.tasks.rematch_open_requests",
        "schedule": timedelta(minutes=int(os.environ.get("REMATCH_EVERY_MINUTES", "30"))),
    },
    "expire-requests": {
        "task": "exchange.tasks.expire_requests",
        "schedule": crontab(minute=15, hour=2),
    },
}

# Money (SPEC "Money"): a quote in bolívares is converted at the rate of its day; with no rate entered
# yet it is refused, unless this allows keeping it in bolívares alone (it then counts in no net saving).
ALLOW_UNCONVERTED_VES_QUOTES = env_bool("ALLOW_UNCONVERTED_VES_QUOTES", False)

# Matching engine
MATCHING_TOP_N = int(os.environ.get("MATCHING_TOP_N", "10"))
MATCHING_WEIGHTS = {
    "fit": 0.35,
    "distance": 0.30,
    "lead_time": 0.15,
    "record": 0.10,
}
# Distance at which the distance part of the score falls to one half.
MATCHING_DISTANCE_HALF_KM = 300
REQUEST_EXPIRY_GRACE_DAYS = int(os.environ.get("REQUEST_EXPIRY_GRACE_DAYS", "7"))
# Days a request stays open on the board before its plant may ask for an import clearance (SPEC "Import clearance").
CLEARANCE_MIN_OPEN_DAYS = int(os.environ.get("CLEARANCE_MIN_OPEN_DAYS", "3"))

# Photos of a worn part (exchange/photos.py): each file, the photos of one request, and the pixels
# one may declare (50 MP covers a phone's full resolution; a bigger canvas is a decompression bomb).
REQUEST_PHOTO_MAX_BYTES = int(os.environ.get("REQUEST_PHOTO_MAX_BYTES", 8 * 1_048_576))
REQUEST_PHOTO_MAX_COUNT = int(os.environ.get("REQUEST_PHOTO_MAX_COUNT", "6"))
REQUEST_PHOTO_MAX_PIXELS = int(os.environ.get("REQUEST_PHOTO_MAX_PIXELS", 50_000_000))

# Plain text for a person at a console; production.py logs JSON lines for machines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "at", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver already prints each request for a person; the JSON request line is production's.
        "exchange.request": {"level": "WARNING"},
        # In-process tasks (the newcomer's mode): no line per task run, and no warning on every enqueue that
        # the in-memory broker has no host name; a failing task still logs its error.
        **(
            {"celery.app.trace": {"level": "WARNING"}, "kombu.connection": {"level": "ERROR"}}
            if CELERY_TASK_ALWAYS_EAGER
            else {}
        ),
    },
}

# Spreadsheet imports (inventory/spreadsheets.py): bounded so one upload cannot exhaust the server.
SPREADSHEET_MAX_BYTES = int(os.environ.get("SPREADSHEET_MAX_BYTES", 5 * 1_048_576))
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", 100_000))
# An XLSX is a zip archive: its members' declared sizes together may not exceed this.
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 100 * 1_048_576))
# Off: it only drops a leading "=" and turns empty cells into "None"; inventory.resources escapes = + - @ instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
