"""A strict Content-Security-Policy on every page, and a server that does not announce itself."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def policy_of(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


@pytest.fixture
def member_client(client, plant):
    client.force_login(MembershipFactory(plant=plant).user)
    return client


@pytest.mark.parametrize("path", ["/", "/login/", "/stock/", "/api/plants/", "/admin/login/", "/api/docs/", "/health/"])
def test_every_page_carries_a_policy_with_no_inline_script_and_no_framing(member_client, path):
    response = member_client.get(path)

    policy = policy_of(response)
    assert policy["default-src"] == {"'self'"}
    assert "'unsafe-inline'" not in policy.get("script-src", policy["default-src"])
    assert "'unsafe-eval'" not in policy.get("script-src", policy["default-src"])
    assert policy["img-src"] == {"'self'", "data:"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["object-src"] == {"'none'"}


def test_inline_styles_are_allowed_only_on_the_admin_and_the_api_pages(member_client):
    assert "'unsafe-inline'" not in policy_of(member_client.get("/stock/"))["style-src"]
    assert "'unsafe-inline'" in policy_of(member_client.get("/admin/login/"))["style-src"]
    assert "'unsafe-inline'" in policy_of(member_client.get("/api/docs/"))["style-src"]


def test_the_api_docs_load_their_script_from_a_file(client):
    page = client.get("/api/docs/").content.decode()

    assert not _inline_scripts(page)


def _inline_scripts(html: str) -> list[str]:
    """Script elements that would run from the page itself (JSON data blocks do not run)."""
    tags = re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE)
    return [tag for tag in tags if "src=" not in tag and "application/json" not in tag]


def test_the_project_templates_hold_no_inline_script_or_event_handler():
    offending = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        if _inline_scripts(text) or re.search(r"\son[a-z]+=", text):
            offending.append(str(template.relative_to(ROOT)))
    assert offending == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_with_the_project_configuration_does_not_announce_itself(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
                    headers = response.headers
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert "gunicorn" not in (headers.get("Server") or "").lower()
    assert "Content-Security-Policy" in headers
