"""Under the Content-Security-Policy, chromium refuses nothing the pages, the admin or the API docs need."""

import pytest

from tests.factories import stock_item

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser


def watch_for_refusals(page):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text[:90]}") if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.mark.parametrize("browser_page", [1280], indirect=True)
def test_plant_pages_run_under_the_policy(browser_page, member, plant):
    stock_item(plant=plant, quantity=4, location="E3-B2")
    page = browser_page
    refused = watch_for_refusals(page)

    sign_in(page, member, path="/stock/")
    for path in ["/", "/stock/", "/stock/new/", "/stock/labels/", "/stock/import/"]:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")

    assert refused == []


@pytest.mark.parametrize("browser_page", [1280], indirect=True)
def test_the_admin_and_the_api_docs_run_under_their_policy(browser_page, admin_user):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    page = browser_page
    refused = watch_for_refusals(page)

    page.goto(page.base_url + "/admin/login/")
    page.fill('input[name="username"]', admin_user.username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('input[type="submit"]').click()
    page.wait_for_load_state()
    for path in ["/admin/", "/admin/inventory/stockitem/add/", "/admin/exchange/match/", "/api/plants/", "/api/docs/"]:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)

    assert refused == []
