"""The review queue in a real browser: Debian's chromium driven by Playwright against a live server."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from exchange.models import Criticality, Match
from tests.factories import MatchFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(settings.BASE_DIR) / "artifacts" / "review-queue.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)"
    ),
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900}, locale="en-US")
        page.set_default_timeout(15_000)
        yield page
        browser.close()
        # Queries made while Playwright runs open their own connection (it keeps its own context); close it, or
        # PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()


def run_action_on(page, match, action):
    page.check(f'input[name="_selected_action"][value="{match.pk}"]')
    page.select_option('select[name="action"]', action)
    page.click('button[name="index"]')


def test_admin_approves_and_rejects_matches_in_the_review_queue(live_server, admin_user, browser_page):
    # given: three proposals waiting for review
    to_approve = MatchFactory(request__criticality=Criticality.PRODUCTION_STOPPED)
    to_reject = MatchFactory(request__criticality=Criticality.DEGRADED)
    still_waiting = MatchFactory(request__criticality=Criticality.PREVENTIVE)
    page = browser_page

    # when: the administrator logs in and lands on the queue
    page.goto(f"{live_server.url}/admin/login/?next=/admin/exchange/match/")
    page.fill('input[name="username"]', admin_user.username)
    page.fill('input[name="password"]', "pass-1234")
    page.click('input[type="submit"]')
    page.wait_for_selector("#result_list")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert page.locator("#result_list tbody tr").count() == 3

    # and approves one
    run_action_on(page, to_approve, "approve_selected")
    assert "1 match approved." in page.locator(".messagelist").inner_text()

    # and rejects another, giving the reason on the intermediate page
    run_action_on(page, to_reject, "reject_selected")
    page.fill('textarea[name="reason"]', "The source is too far for a stopped line.")
    page.click('input[name="apply"]')
    assert "1 match rejected." in page.locator(".messagelist").inner_text()

    # then: only the untouched proposal is left in the queue, and the changes are recorded
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert page.locator(f'input[name="_selected_action"][value="{still_waiting.pk}"]').count() == 1
    to_approve.refresh_from_db()
    to_reject.refresh_from_db()
    assert to_approve.status == Match.Status.APPROVED
    assert to_reject.status == Match.Status.REJECTED
    assert to_reject.reject_reason == "The source is too far for a stopped line."
    assert SCREENSHOT.stat().st_size > 0
