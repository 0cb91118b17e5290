"""`/health/` answers 200 when every part answers, 503 naming the part that does not, without logging in."""

import pytest
from django.db import OperationalError
from kombu import Connection

from config import health

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: a refused connection, answered at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_health_answers_ok_without_login(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "in-process", "cache": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_names_a_failing_database(client, monkeypatch):
    def refuse():
        raise OperationalError("could not connect to server at 10.0.0.5")

    monkeypatch.setitem(health.CHECKS, "database", refuse)

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == "failing: OperationalError"
    assert body["checks"]["cache"] == "ok"
    assert "10.0.0.5" not in response.content.decode()


def test_health_names_an_unreachable_broker(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health.celery_app, "connection_for_write", lambda: Connection(UNREACHABLE_REDIS))

    response = client.get("/health/")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"].startswith("failing: ")
    assert checks["database"] == "ok"
    assert "127.0.0.1" not in response.content.decode()


def test_health_names_an_unreachable_cache(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.get("/health/")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"].startswith("failing: ")
    assert checks["database"] == "ok"


def test_health_refuses_writes(client):
    assert client.post("/health/").status_code == 405
