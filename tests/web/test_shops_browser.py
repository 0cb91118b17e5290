"""A machine shop's journey in chromium at 360 px and 1280 px: screenshots under artifacts/web/, no sideways scroll."""

from decimal import Decimal

import pytest

from exchange import services as exchange_services
from exchange.models import Match
from inventory.models import MaterialDesignation
from tests.factories import MaterialFactory, MembershipFactory, ShopFactory, capability

from .conftest import look_at, sign_in

pytestmark = pytest.mark.browser


def test_a_shop_finds_a_shortage_by_fits_and_offers_a_capability_with_a_quote(browser_page, plant, member):
    page = browser_page
    steel = MaterialFactory(name="Acero 1045")
    MaterialDesignation.objects.create(material=steel, designation="AISI 1045")
    workshop = ShopFactory(name="Taller Metalmecánico Guayana", state="Bolívar", latitude=8.3, longitude=-62.7)
    foreman = MembershipFactory(plant=workshop, user__username="capataz").user
    lathe = capability(plant=workshop, process="turning", materials=[steel], max_diameter_mm=300, best_it_grade=7)
    capability(plant=workshop, process="motor_rewinding", max_weight_kg=800)
    shaft = exchange_services.part_request_create(
        plant=plant,
        user=member,
        description="Eje de la bomba de alimentación de la caldera",
        quantity=2,
        criticality="production_stopped",
        material=steel,
        processes=["turning"],
        diameter_mm=Decimal(80),
        it_grade=8,
    )
    for number in range(6):
        exchange_services.part_request_create(
            plant=plant, user=member, description=f"Rodamiento de rodillos cónicos {number}", quantity=4
        )

    sign_in(page, foreman)
    look_at(page, "shop-home")
    page.get_by_role("link", name="Tablero", exact=True).click()
    look_at(page, "board")
    page.get_by_label("Solo las que mi taller puede hacer").check()
    page.get_by_role("button", name="Buscar en el tablero").click()
    assert page.locator(".items .item").count() == 1
    look_at(page, "board-fits")

    page.get_by_role("link", name="Ofrecer para esta solicitud").click()
    assert page.url.endswith(f"/requests/{shaft.pk}/offer/")
    # The browser checks what is missing; the server checks the rest, as without JavaScript.
    page.get_by_label("Precio por todas las unidades").fill("mucho")
    page.get_by_label("Días hasta que puede entregar").fill("10")
    page.get_by_role("button", name="Enviar esta oferta").click()
    assert page.locator(".error-summary").is_visible()
    look_at(page, "offer-errors")
    page.get_by_label("Precio por todas las unidades").fill("1.250,00")
    page.get_by_label("Nota para quien la pide y para quien revisa").fill("Torno CNC, material propio")
    look_at(page, "offer")
    page.get_by_role("button", name="Enviar esta oferta").click()

    match = Match.objects.get(request=shaft, source_plant=workshop)
    assert page.url.endswith(f"/matches/{match.pk}/")
    assert match.origin == Match.Origin.OFFER and match.capability_id == lathe.pk
    assert match.quote_price == Decimal("1250.00") and match.quote_lead_time_days == 10


def test_a_foreman_keeps_the_workshop(browser_page, plant, member):
    page = browser_page
    steel = MaterialFactory(name="Acero 1045")
    MaterialDesignation.objects.create(material=steel, designation="AISI 1045")
    workshop = ShopFactory(name="Taller Metalmecánico Guayana", state="Bolívar", latitude=8.3, longitude=-62.7)
    foreman = MembershipFactory(plant=workshop, user__username="capataz").user
    capability(plant=workshop, process="turning", materials=[steel], max_diameter_mm=300, best_it_grade=7)
    exchange_services.part_request_create(
        plant=plant, user=member, description="Eje de bomba", quantity=1, material=steel, processes=["turning"]
    )

    sign_in(page, foreman, path="/capabilities/")
    look_at(page, "workshop")
    page.get_by_role("link", name="Agregar una capacidad").click()
    page.get_by_label("Proceso").select_option("milling")
    page.get_by_label("Materiales").fill("AISI 1045, unobtanio")
    page.get_by_role("button", name="Guardar esta capacidad").click()
    look_at(page, "capability-new-errors")
    page.get_by_label("Materiales").fill("AISI 1045")
    page.get_by_label("Diámetro máximo (mm)").fill("450")
    page.get_by_role("button", name="Guardar esta capacidad").click()
    assert "/capabilities/" in page.url and page.locator("h1").inner_text() == "Fresado"
    look_at(page, "capability")
