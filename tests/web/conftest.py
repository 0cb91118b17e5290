"""Fixtures for the pages: plants with their members, signed-in clients, and a browser at two widths.

Pages speak Spanish by default here (the project's default; the test settings choose English for the API
tests), as plant staff see them.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.factories import MembershipFactory, PlantFactory, UserFactory

SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "web"
PASSWORD = "pass-1234"


@pytest.fixture(autouse=True)
def spanish(settings):
    settings.LANGUAGE_CODE = "es"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member(plant):
    """A member of ``plant`` (tests/conftest.py), and of no other."""
    return MembershipFactory(plant=plant, user__username="almacenista").user


@pytest.fixture
def other_plant(db):
    return PlantFactory(name="Planta Oriente", state="Anzoátegui", city="Barcelona", latitude=10.13, longitude=-64.7)


@pytest.fixture
def other_member(other_plant):
    return MembershipFactory(plant=other_plant, user__username="oriente").user


@pytest.fixture
def several_member(plant, other_plant):
    """A member of both ``plant`` and ``other_plant``."""
    user = MembershipFactory(plant=plant, user__username="supervisor").user
    MembershipFactory(plant=other_plant, user=user)
    return user


@pytest.fixture
def plantless_user(db):
    return UserFactory(username="sinplanta")


@pytest.fixture
def member_client(member):
    return signed_in(member)


@pytest.fixture
def other_client(other_member):
    return signed_in(other_member)


@pytest.fixture
def several_client(several_member):
    return signed_in(several_member)


@pytest.fixture
def staff_client(admin_user):
    """An administrator who is a member of no plant."""
    return signed_in(admin_user)


@pytest.fixture(params=[360, 1280], ids=["phone", "desktop"])
def browser_page(request, monkeypatch, live_server):
    """A Spanish-speaking chromium page at 360 px (a phone) and at 1280 px; see ``look_at``."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": request.param, "height": 800}, locale="es-VE")
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        yield page
        browser.close()
        # The test's queries ran inside Playwright's context, on a connection of their own: close it there,
        # or PostgreSQL cannot drop the test database at the end of the session.
        connections.close_all()


def look_at(page, name: str) -> Path:
    """Save the page's screenshot as artifacts/web/<name>-<width>.png and check it does not scroll sideways."""
    width = page.viewport_size["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.evaluate("window.innerWidth"), f"{name} scrolls sideways at {width} px"
    return path


def sign_in_to_admin(page, user, *, path="/admin/"):
    page.goto(page.base_url + f"/admin/login/?next={path}")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('input[type="submit"]').click()


def sign_in(page, user, *, password=PASSWORD, path="/"):
    page.goto(page.base_url + path)
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()
