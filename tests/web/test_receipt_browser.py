"""A short receipt in chromium: the requester confirms 2 of the 3 units shipped into its store, on a phone and a
desktop; an administrator resolves the missing unit as returned from the admin. Screenshots under artifacts/web/."""

import pytest

from exchange import engine, services
from exchange.models import Match
from inventory.models import StockItem
from tests.factories import PartFactory, stock_item

from .conftest import look_at, sign_in, sign_in_to_admin
from .test_exchange_journey_browser import another_person

pytestmark = pytest.mark.browser


def test_the_requester_receives_two_of_three_units_into_stock_and_an_administrator_resolves_the_third(
    browser_page, plant, member, other_plant, other_member, admin_user
):
    part = PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS")], import_price_usd="40.00")
    source_item = stock_item(plant=other_plant, part=part, quantity=5)
    shortage = services.part_request_create(plant=plant, user=member, part=part, quantity=3)
    engine.part_request_match(part_request_id=shortage.pk)
    match = Match.objects.get(request=shortage)
    services.match_approve(match=match, user=admin_user)
    services.match_quote(match=match, user=other_member, price="95.50", currency="USD", lead_time_days=2)
    services.match_accept(match=match, user=member)
    services.match_ship(match=match, user=other_member, note="Zoom, guía 5512")

    # the requester counts two bearings in the box and keeps them as spares
    requester = browser_page
    sign_in(requester, member, path=f"/matches/{match.pk}/")
    requester.get_by_label("Unidades recibidas").fill("2")
    requester.get_by_label("Guardarlas en nuestro almacén como repuestos").check()
    look_at(requester, "receipt-form")
    requester.get_by_role("button", name="Confirmar que llegaron las unidades").click()
    look_at(requester, "receipt-short")
    assert "1 unidad: el administrador del intercambio le da seguimiento" in requester.content()
    assert StockItem.objects.get(plant=plant, part=part).quantity == 2

    # an administrator learns the third came back to the source, and says so on the match's page in the admin
    administrator = another_person(requester, width=1280)
    sign_in_to_admin(administrator, admin_user)
    administrator.goto(administrator.base_url + f"/admin/exchange/match/{match.pk}/change/")
    administrator.get_by_label("Devueltas a la fuente").check()
    administrator.get_by_label("Nota (transportista, reclamo, quién las contó de vuelta)").fill("Devuelta por Zoom")
    look_at(administrator, "receipt-admin-resolve")
    administrator.get_by_role("button", name="Resolver las unidades en tránsito").click()
    match.refresh_from_db()
    assert (match.quantity_returned, match.quantity_in_transit) == (1, 0)
    assert StockItem.objects.get(pk=source_item.pk).quantity == 3
