"""The pages in Debian's chromium at 360 px and 1280 px: screenshots under artifacts/web/, no sideways scroll."""

import pytest

from exchange.models import Criticality
from tests.admin.conftest import proposed_match
from tests.factories import PartFactory

from .conftest import look_at, sign_in

pytestmark = pytest.mark.browser


def test_a_member_signs_in_and_sees_the_plant_home(browser_page, member, plant, other_plant):
    # given: a stopped line waiting for a bearing, and a proposal the plant's store could serve elsewhere
    proposed_match(
        requester=plant,
        source_plant=other_plant,
        criticality=Criticality.PRODUCTION_STOPPED,
        part=PartFactory(name="Rodamiento rígido de bolas 6205-2RS con un nombre muy largo de catálogo"),
    )
    proposed_match(requester=other_plant, source_plant=plant, part=PartFactory(name="Correa trapezoidal B-52"))
    page = browser_page

    # when
    page.goto(page.base_url + "/")
    look_at(page, "sign-in")
    sign_in(page, member)

    # then
    assert page.locator("h1").inner_text() == plant.name
    assert page.get_by_text("Cotizar:").count() == 1
    assert page.get_by_text("Mejor fuente: Planta Oriente").count() == 1
    look_at(page, "home")


def test_a_member_of_several_plants_chooses_one(browser_page, several_member, other_plant):
    page = browser_page

    sign_in(page, several_member)
    look_at(page, "plant")
    page.get_by_label(other_plant.name).check()
    page.get_by_role("button", name="Actuar por esta planta").click()

    assert page.locator("h1").inner_text() == other_plant.name
    assert page.locator(".acting a").inner_text() == other_plant.name


def test_a_wrong_password_shows_the_error_summary(browser_page, member):
    page = browser_page

    sign_in(page, member, password="equivocada")

    assert page.locator(".error-summary").is_visible()
    look_at(page, "sign-in-error")
