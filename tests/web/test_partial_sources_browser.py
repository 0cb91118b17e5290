"""A shortage served by two partial sources, in chromium: each says how many of the units it covers, and a
count down at one of them shows at once. Screenshots under artifacts/web/."""

import pytest

from exchange import services
from inventory import services as inventory_services
from inventory.access import SYSTEM
from tests.factories import PartFactory, PlantFactory, stock_item

from .conftest import look_at, sign_in

pytestmark = pytest.mark.browser


def test_partial_sources_say_what_each_covers_and_follow_a_count_down(
    browser_page, member, plant, django_capture_on_commit_callbacks
):
    page = browser_page
    bearing = PartFactory(name="Rodamiento 6310", numbers=[("SKF", "6310-2Z")])
    near = stock_item(plant=PlantFactory(name="Central Azucarera Portuguesa"), part=bearing, quantity=2)
    stock_item(
        plant=PlantFactory(name="Cervecería de Oriente", latitude=10.2, longitude=-64.6), part=bearing, quantity=3
    )
    part_request = services.part_request_create(plant=plant, user=member, part=bearing, quantity=5)

    sign_in(page, member, path=f"/requests/{part_request.pk}/")
    sources = page.locator("ol.items").inner_text()
    assert "cubre 2 de 5 unidades" in sources and "cubre 3 de 5 unidades" in sources
    look_at(page, "request-partial-sources")

    with django_capture_on_commit_callbacks(execute=True):
        inventory_services.stock_set_quantity(stock_item=near, quantity=1, user=SYSTEM)
    page.reload()

    sources = page.locator("ol.items").inner_text()
    assert "cubre 1 de 5 unidades" in sources and "cubre 2 de 5 unidades" not in sources
    look_at(page, "request-partial-sources-counted")
