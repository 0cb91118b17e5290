from .base import *  # noqa: F403
from .base import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "en"
# Throttling is tested explicitly where it matters; elsewhere it would make runs order-dependent.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/minute",
        "user": "100000/minute",
        "token": "100000/minute",
        "login": "100000/minute",
    },
}
# Exact figures after every write; tests of the shared figures turn it on.
FIGURES_CACHE_SECONDS = 0
# Static files straight from the apps, as in development, so pages and their assets load without collectstatic.
WHITENOISE_USE_FINDERS = True
