import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from exchange.models import PartRequest

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent


def _production_check(**environment):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "example.org",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _production_check(SECRET_KEY=secrets.token_urlsafe(60))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_real_secret_key():
    result = _production_check(SECRET_KEY="short")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bandit_finds_no_high_severity_issue():
    result = subprocess.run(
        [str(BIN / "bandit"), "--quiet", "--recursive", "config", "inventory", "exchange", "-lll"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_session_write_without_csrf_token_is_refused(plant, plant_member):
    browser = APIClient(enforce_csrf_checks=True)
    browser.login(username=plant_member.username, password="pass-1234")

    response = browser.post("/api/requests/", {"plant": plant.pk, "description": "worn bushing", "quantity": 1})

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not PartRequest.objects.exists()


@pytest.mark.django_db
def test_token_write_needs_no_csrf_token(plant, plant_member):
    script = APIClient(enforce_csrf_checks=True)
    script.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=plant_member)[1]}")

    response = script.post("/api/requests/", {"plant": plant.pk, "description": "worn bushing", "quantity": 1})

    assert response.status_code == 201


@pytest.fixture
def login_rate(monkeypatch):
    from django.core.cache import cache

    from config.login import LoginRateThrottle

    monkeypatch.setattr(LoginRateThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("login_path", ["/admin/login/", "/api/auth/login/"])
def test_password_logins_are_throttled_per_client(db, client, login_rate, login_path):
    attempts = [
        client.post(login_path, {"username": "admin", "password": f"guess-{attempt}"}).status_code
        for attempt in range(4)
    ]

    assert attempts[:3] == [200, 200, 200]
    assert attempts[3] == 429


def test_plant_staff_log_in_to_the_browsable_api_with_a_session(client, plant_member):
    response = client.post("/api/auth/login/", {"username": plant_member.username, "password": "pass-1234"})

    assert response.status_code == 302 and response["Location"] == "/api/"
    assert client.get("/api/requests/", HTTP_ACCEPT="text/html").status_code == 200


def test_a_forged_forwarded_address_does_not_escape_the_login_throttle(db, client, login_rate):
    statuses = [
        client.post(
            "/api/auth/login/", {"username": "admin", "password": "guess"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}"
        ).status_code
        for attempt in range(4)
    ]

    assert statuses[3] == 429
