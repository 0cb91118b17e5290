"""compose.yaml and the Dockerfile, checked without a container engine (the CI machines run none)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = {"migrate", "web", "worker", "beat"}


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_declares_the_installation():
    services = compose()["services"]

    assert set(services) == {"db", "redis", *APP_SERVICES}
    for name in APP_SERVICES:
        service = services[name]
        assert service["image"] == "exchange:latest", name
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        assert service["environment"]["DATABASE_URL"].startswith("postgres://"), name
        assert service["environment"]["CELERY_BROKER_URL"].startswith("redis://redis:"), name


def test_compose_runs_one_beat_and_migrates_before_the_others():
    services = compose()["services"]

    assert services["beat"]["deploy"]["replicas"] == 1
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_keeps_uploads_and_data_in_volumes():
    document = compose()

    assert {"postgres", "media", "beat"} <= set(document["volumes"])
    for name in ("web", "worker"):
        assert "media:/var/lib/exchange/media" in document["services"][name]["volumes"]
    assert "/health/" in " ".join(document["services"]["web"]["healthcheck"]["test"])


def test_dockerfile_serves_the_wsgi_app_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "FROM python:3.11" in dockerfile
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "\nUSER exchange\n" in dockerfile
    assert '"gunicorn", "config.wsgi"' in dockerfile
