import os
import re
from contextlib import contextmanager

import pytest
from django.db import connection

from config import outage
from config.celery import app as celery_app

# CI points the worker test in tests/exchange at Redis database 15; these tests use 13 so the two never share a queue.
TEST_BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "")
RELIABILITY_BROKER_URL = re.sub(r"/\d+$", "/13", TEST_BROKER_URL) if TEST_BROKER_URL else ""

requires_real_services = pytest.mark.skipif(
    not TEST_BROKER_URL or connection.vendor != "postgresql",
    reason="needs PostgreSQL and a real broker (set CELERY_TEST_BROKER_URL)",
)


@contextmanager
def celery_publishing_to(broker_url):
    """Publish tasks to ``broker_url`` instead of running them in-process, until the block ends."""
    saved_env = os.environ.get("CELERY_BROKER_URL")
    saved_eager = celery_app.conf.CELERY_TASK_ALWAYS_EAGER

    def forget_connections():
        # Celery caches a connection pool and a producer pool per app; drop them so the next publish uses the new URL.
        # (Not closed: kombu keeps them in a registry per URL and would hand a closed one back later.)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        # A failure remembered for one broker says nothing of the next.
        outage.broker.end()

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    os.environ["CELERY_BROKER_URL"] = broker_url
    # The namespaced name: Celery looks it up before the plain one, so only it overrides the setting.
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    forget_connections()
    try:
        yield
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = saved_eager
        forget_connections()
