"""The store in Debian's chromium at 360 px and 1280 px: screenshots under artifacts/web/, no sideways scroll."""

import pytest

from tests.factories import PartFactory

from .conftest import look_at, sign_in

pytestmark = pytest.mark.browser


def test_a_storekeeper_adds_an_item_prints_its_label_and_counts_the_bin_from_it(browser_page, member, plant):

    PartFactory(name="Rodamiento rígido de bolas", numbers=[("FAG", "6205-2RSR"), ("SKF", "6205-2RSH")])
    page = browser_page
    sign_in(page, member, path="/stock/")
    look_at(page, "stock-empty")

    page.get_by_role("link", name="Añadir un artículo").click()
    page.fill('input[name="number"]', "skf 6205 2rsh")
    page.fill('input[name="quantity"]', "12")
    page.fill('input[name="location"]', "E3-B2")
    look_at(page, "stock-new")
    page.get_by_role("button", name="Añadir al almacén").click()
    page.wait_for_load_state()
    look_at(page, "stock-item")

    page.goto(page.base_url + "/stock/")
    look_at(page, "stock")
    page.get_by_role("link", name="Imprimir etiquetas").click()
    look_at(page, "stock-labels")
    label_url = page.locator(".label small").first.inner_text()
    assert label_url.startswith(page.base_url + "/stock/")

    page.goto(label_url)
    page.fill('input[name="quantity"]', "2")
    page.get_by_role("button", name="Guardar el conteo").click()
    page.wait_for_load_state()
    assert "Conteo guardado: 2 unidades." in page.content()
    look_at(page, "stock-counted")
