import copy
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, STORAGES, env_bool

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of at least 50 characters.")

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers and container health checks probe over plain HTTP on the private side.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# A persistent connection may outlive a database restart; test it before each request reuses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# DRF keeps its throttle counts in the cache. Django's default cache lives in each process, so with
# several gunicorn workers or machines every limit (the login one above all) is multiplied by their
# number; a shared Redis cache makes a limit mean what it says.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    # Short socket timeouts: a frozen cache must cost a request a second, not hang it; the throttles
    # then let requests through (config/throttling.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

# One JSON object per line, with the request id, for the log collector; one line per request.
LOGGING = copy.deepcopy(LOGGING)
LOGGING["handlers"]["console"]["formatter"] = "json"
LOGGING["loggers"]["exchange.request"] = {"level": "INFO"}

# Hashed names (site.3f2a9c.css) that whitenoise serves gzip/brotli-compressed and cached for a year,
# as immutable: a changed file gets a new name. Run `manage.py collectstatic` on deploy.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
