"""An import clearance in chromium: the requester asks from its shortage's page, an administrator grants it in
the admin at 1,280 px, and a browser that never signed in opens /verify/<serial>/ and sees it, on screen and
printed on one A4 page. Screenshots under artifacts/web/; no page scrolls sideways."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exchange import engine
from exchange import services as exchange_services
from exchange.models import Clearance, Match, PartRequest
from tests.factories import PartFactory, PlantFactory, stock_item

from .conftest import PASSWORD, SCREENSHOTS, look_at, sign_in
from .test_exchange_journey_browser import another_person

pytestmark = pytest.mark.browser


def printed_pages(page, name) -> int:
    """Print the page to A4 as a browser would (the page stays in print media), save the PDF, count its pages."""
    page.emulate_media(media="print")
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.pdf"
    pdf = page.pdf(path=str(path), format="A4", print_background=True)
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def test_a_requester_asks_an_administrator_grants_and_anyone_verifies_the_clearance(
    browser_page, plant, member, admin_user
):
    pump = PartFactory(name="Impulsor de bomba centrífuga", numbers=[("KSB", "ETN 65-160")])
    shortage = exchange_services.part_request_create(
        plant=plant, user=member, part=pump, quantity=1, import_price_usd=Decimal("1850")
    )
    elsewhere = PlantFactory(name="Planta Oriente", state="Anzoátegui", latitude=10.13, longitude=-64.7)
    stock_item(plant=elsewhere, part=pump, quantity=1)
    engine.part_request_match(part_request_id=shortage.pk)
    exchange_services.match_reject(
        match=Match.objects.get(request=shortage), user=admin_user, reason="La unidad en existencia está dañada."
    )
    PartRequest.objects.filter(pk=shortage.pk).update(created_at=timezone.now() - timedelta(days=5))

    # the requester asks from its shortage's page
    requester = browser_page
    sign_in(requester, member, path=f"/requests/{shortage.pk}/")
    requester.get_by_role("button", name="Pedir constancia de no disponibilidad nacional").click()
    expect(requester.get_by_text(re.compile(r"Constancia CND-\d{4}-\d{6} pedida"))).to_be_visible()
    clearance = Clearance.objects.get(request=shortage)
    expect(requester.get_by_text(f"Constancia {clearance.serial} pedida")).to_be_visible()
    look_at(requester, "clearance-asked")

    # an administrator grants it on the clearance's page in the admin
    administrator = another_person(requester, width=1280)
    administrator.goto(administrator.base_url + "/admin/login/?next=/admin/")
    administrator.fill('input[name="username"]', admin_user.username)
    administrator.fill('input[name="password"]', PASSWORD)
    administrator.locator('input[type="submit"]').click()
    administrator.goto(administrator.base_url + f"/admin/exchange/clearance/{clearance.pk}/change/")
    look_at(administrator, "clearance-admin")
    administrator.get_by_label("Nota (opcional; aparece impresa en la constancia)").fill(
        "Revisadas las existencias y los talleres del país."
    )
    administrator.get_by_role("button", name="Otorgar esta constancia").click()
    expect(administrator.get_by_text(f"Constancia {clearance.serial} otorgada.")).to_be_visible()
    clearance.refresh_from_db()
    assert clearance.status == Clearance.Status.GRANTED

    # anyone, never signed in, checks the serial printed on the copy
    anyone = another_person(requester)
    anyone.goto(anyone.base_url + f"/verify/{clearance.serial}/")
    expect(anyone.get_by_role("heading", name=f"Constancia {clearance.serial}")).to_be_visible()
    expect(anyone.get_by_text("Válida hasta el")).to_be_visible()
    expect(anyone.get_by_text("La unidad en existencia está dañada.")).to_be_visible()
    expect(anyone.get_by_text("arriba: coincide")).to_be_visible()
    assert anyone.get_by_text("NO coincide").count() == 0
    assert anyone.get_by_role("button", name="Iniciar sesión").count() == 0
    look_at(anyone, "clearance-verify")
    assert printed_pages(anyone, "clearance-verify") == 1
    look_at(anyone, "clearance-verify-print")

    # and the requester's members see it among the imports cleared
    requester.goto(requester.base_url + "/transparency/")
    expect(requester.get_by_role("link", name=clearance.serial)).to_be_visible()
    look_at(requester, "clearance-transparency")
