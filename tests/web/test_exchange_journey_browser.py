"""The whole exchange in chromium, each person in a browser of their own: a shop offers on a shortage it
finds by `fits`, an administrator approves it in the admin at 1,280 px, the requester accepts, the shop
ships, the requester receives. Screenshots under artifacts/web/; no page scrolls sideways."""

from decimal import Decimal

import pytest

from exchange import services as exchange_services
from exchange.models import Match, PartRequest
from inventory.models import MaterialDesignation
from tests.factories import MaterialFactory, MembershipFactory, ShopFactory, capability

from .conftest import look_at, sign_in, sign_in_to_admin

pytestmark = pytest.mark.browser


def another_person(page, *, width=None):
    """A browser context of its own (its own cookies) beside ``page``, at ``width`` or the same width."""
    viewport = {"width": width or page.viewport_size["width"], "height": 800}
    other = page.context.browser.new_context(viewport=viewport, locale="es-VE").new_page()
    other.set_default_timeout(15_000)
    other.base_url = page.base_url
    return other


def test_a_shop_offers_an_admin_approves_the_requester_accepts_the_shop_ships_and_the_units_arrive(
    browser_page, plant, member, admin_user
):
    steel = MaterialFactory(name="Acero 1045")
    MaterialDesignation.objects.create(material=steel, designation="AISI 1045")
    workshop = ShopFactory(name="Taller Metalmecánico Guayana", state="Bolívar", latitude=8.3, longitude=-62.7)
    foreman = MembershipFactory(plant=workshop, user__username="capataz").user
    capability(plant=workshop, process="turning", materials=[steel], max_diameter_mm=300, best_it_grade=7)
    shaft = exchange_services.part_request_create(
        plant=plant,
        user=member,
        description="Eje de la bomba de alimentación de la caldera",
        quantity=1,
        criticality="production_stopped",
        material=steel,
        processes=["turning"],
        diameter_mm=Decimal(80),
        it_grade=8,
        import_price_usd=Decimal("2400"),
    )

    # the shop finds the shortage its workshop fits, and offers with a quote
    shop = browser_page
    sign_in(shop, foreman, path="/board/?fits=on")
    look_at(shop, "journey-board-fits")
    shop.get_by_role("link", name="Ofrecer para esta solicitud").click()
    shop.get_by_label("Precio por todas las unidades").fill("1.250,00")
    shop.get_by_label("Días hasta que puede entregar").fill("10")
    shop.get_by_role("button", name="Enviar esta oferta").click()
    match = Match.objects.get(request=shaft, source_plant=workshop)
    assert shop.url.endswith(f"/matches/{match.pk}/")

    # an administrator approves it from the match's page in the admin
    administrator = another_person(shop, width=1280)
    sign_in_to_admin(administrator, admin_user)
    administrator.goto(administrator.base_url + f"/admin/exchange/match/{match.pk}/change/")
    look_at(administrator, "journey-admin-match")
    administrator.get_by_role("button", name="Aprobar esta propuesta").click()
    match.refresh_from_db()
    assert match.status == Match.Status.APPROVED

    # the requester accepts on its page
    requester = another_person(shop)
    sign_in(requester, member, path=f"/matches/{match.pk}/")
    look_at(requester, "journey-accept")
    requester.get_by_role("button", name="Aceptar esta fuente").click()
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED

    # the shop ships, with the carrier and the tracking number
    shop.goto(shop.base_url + f"/matches/{match.pk}/")
    shop.get_by_label("Transportista y número de guía").fill("MRW, guía 4471-2209")
    look_at(shop, "journey-ship")
    shop.get_by_role("button", name="Marcar las unidades como enviadas").click()
    match.refresh_from_db()
    assert (match.status, match.ship_note) == (Match.Status.SHIPPED, "MRW, guía 4471-2209")

    # the requester receives
    requester.goto(requester.base_url + f"/matches/{match.pk}/")
    assert "MRW, guía 4471-2209" in requester.content()
    requester.get_by_role("button", name="Confirmar que llegaron las unidades").click()
    look_at(requester, "journey-received")
    match.refresh_from_db()
    shaft.refresh_from_db()
    assert match.status == Match.Status.FULFILLED
    assert shaft.status == PartRequest.Status.FULFILLED
