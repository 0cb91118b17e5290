"""The pages in Debian's chromium at 360 px and 1280 px: screenshots under artifacts/web/, no sideways scroll."""

import pytest

from .conftest import look_at, sign_in

pytestmark = pytest.mark.browser


def test_a_member_signs_in_and_sees_the_plant_home(browser_page, member, plant):
    page = browser_page

    page.goto(page.base_url + "/")
    look_at(page, "sign-in")
    sign_in(page, member)

    assert page.locator("h1").inner_text() == plant.name
    look_at(page, "home")
