"""The review queue in a real browser: Debian's chromium driven by Playwright against a live server."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse
from django.utils import translation

from exchange import services
from exchange.models import Criticality, Match
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.factories import MatchFactory, PartFactory, PlantFactory, ShopFactory

SCREENSHOT = Path(settings.BASE_DIR) / "artifacts" / "review-queue.png"
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "admin"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)"
    ),
]


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Queries made while Playwright runs open their own connection (it keeps its own context); close it, or
        # PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()


@pytest.fixture
def browser_page(browser):
    page = browser.new_page(viewport={"width": 1600, "height": 900}, locale="en-US")
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def laptop_page(browser):
    """An administrator's day: a 1,280 px laptop screen, the admin in Spanish."""
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="es-VE")
    page.set_default_timeout(15_000)
    return page


def log_in(page, live_server, user, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill('input[name="username"]', user.username)
    page.fill('input[name="password"]', "pass-1234")
    page.click('input[type="submit"]')


def widths(page, selector):
    """The page's and one element's widths against what holds them, in CSS pixels."""
    return page.evaluate(
        """(selector) => {
            const element = document.querySelector(selector);
            return {
                page: document.documentElement.scrollWidth,
                window: window.innerWidth,
                element: element.getBoundingClientRect().width,
                container: element.parentElement.getBoundingClientRect().width,
            };
        }""",
        selector,
    )


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
    log_in(page, live_server, admin_user, "/admin/exchange/match/")
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


def a_day_of_proposals(admin_user):
    """Proposals as a reviewer meets them: long plant and part names, one quoted, every criticality."""
    stopped = MatchFactory(
        request__criticality=Criticality.PRODUCTION_STOPPED,
        request__part=PartFactory(name="Rodamiento de rodillos a rótula 22320 EK"),
        request__plant=PlantFactory(name="Siderúrgica del Orinoco Alfredo Maneiro", state="Bolívar"),
        source_plant=ShopFactory(
            name="Tornería y Rectificadora Los Andes", state="Mérida", latitude=8.6, longitude=-71.15
        ),
    )
    services.match_quote(
        match=stopped,
        user=stopped.source_plant.memberships.first().user,
        price="1250",
        currency="USD",
        lead_time_days=12,
    )
    MatchFactory(
        request__criticality=Criticality.DEGRADED,
        request__part=PartFactory(name="Engranaje helicoidal de la caja reductora, 48 dientes"),
        request__plant=PlantFactory(name="Pasteurizadora Táchira", state="Táchira", latitude=7.77, longitude=-72.22),
    )
    for _ in range(3):
        MatchFactory(request__criticality=Criticality.PREVENTIVE)
    return stopped


def test_the_queue_and_a_match_page_fit_a_1280_px_screen(live_server, admin_user, laptop_page):
    # given: a morning's queue, its explanations written in Spanish as the engine writes them in production
    with translation.override("es"):
        stopped = a_day_of_proposals(admin_user)
    page = laptop_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # when: the administrator signs in, reads the index, then the queue
    log_in(page, live_server, admin_user, "/admin/")
    page.wait_for_selector("#exchange-dashboard-link")
    page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/exchange/match/")
    page.wait_for_selector("#result_list")
    page.screenshot(path=str(SCREENSHOTS / "review-queue.png"), full_page=True)
    queue = widths(page, "#result_list")

    # then: nothing scrolls sideways, and the most urgent proposal is the first row
    assert queue["page"] <= queue["window"], queue
    assert queue["element"] <= queue["container"], queue
    first_row = page.locator("#result_list tbody tr").first.inner_text()
    assert "Rodamiento de rodillos a rótula 22320 EK × 2" in first_row
    assert "1.250,00 USD · 12 d" in first_row

    # when: the administrator opens that match and approves it with its button
    page.click(f'#result_list a[href$="/{stopped.pk}/change/"] >> nth=0')
    page.wait_for_selector("#review-actions")
    page.screenshot(path=str(SCREENSHOTS / "match-page.png"), full_page=True)
    match_page = widths(page, "#content-main")
    page.click('button[name="approve"]')

    # then
    assert match_page["page"] <= match_page["window"], match_page
    assert f"Propuesta #{stopped.pk} aprobada." in page.locator(".messagelist").inner_text()
    stopped.refresh_from_db()
    assert stopped.status == Match.Status.APPROVED


def test_the_dashboard_charts_gross_and_net_savings_by_month(live_server, admin_user, laptop_page):
    # given: three months of receipts, the middle one paid more at home than the import would have cost
    for days_ago, quantity in ((70, 4), (40, 2), (5, 6)):
        match = MatchFactory(status__admin=admin_user, request__quantity=quantity, status=Match.Status.FULFILLED)
        Match.objects.filter(pk=match.pk).update(fulfilled_at=match.fulfilled_at - timedelta(days=days_ago))
    page = laptop_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # when
    log_in(page, live_server, admin_user, reverse("admin:exchange_dashboard"))
    page.wait_for_selector("#usd-net-total")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-savings.png"), full_page=True)

    # then: a gross and a net bar per month, one net bar below the zero line, and no sideways scroll
    assert page.locator("svg[aria-labelledby='usd-by-month-title'] rect").count() == 2 + 2 * 3
    assert page.locator("#usd-net-total").inner_text() == "180,00 USD"
    dashboard = widths(page, "#content-main")
    assert dashboard["page"] <= dashboard["window"], dashboard
