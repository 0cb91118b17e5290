"""`/health/`: is each part this process needs reachable? For load balancers, systemd and people on call.

Each check has a short timeout of its own, so a frozen part answers 503 in
seconds instead of holding the probe. The answer names the part that failed
and the kind of error, never an address or a message that could carry one.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.celery import app as celery_app

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


def _cache():
    cache.set("health-check", "ok", timeout=10)
    if cache.get("health-check") != "ok":
        raise RuntimeError("the cache did not keep a value")


CHECKS = {"database": _database, "broker": _broker, "cache": _cache}


@never_cache
@require_safe
def health(request):
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            results[name] = check() or "ok"
        except Exception as error:
            logger.warning("Health check of the %s failed: %s", name, type(error).__name__)
            results[name] = f"failing: {type(error).__name__}"
            healthy = False
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503)
