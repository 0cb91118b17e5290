"""The storekeeper's journey in chromium at 360 px and 1280 px: post a shortage by number with a photo, see
the ranked sources, accept the approved and quoted one, receive it. Screenshots under artifacts/web/."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import include, path, re_path
from django.utils import timezone
from django.views.static import serve
from PIL import Image

from exchange import services
from exchange.models import Match, PartRequest
from tests.factories import PartFactory, stock_item

from .conftest import look_at, sign_in

pytestmark = pytest.mark.browser

# The photos' addresses, served by the test server as a proxy or object store serves them in production.
urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", lambda request, path: serve(request, path, document_root=settings.MEDIA_ROOT)),
    path("", include("config.urls")),
]


@pytest.fixture
def photos_served(settings, media_root):
    settings.ROOT_URLCONF = __name__


def photo_png() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 110, 130)).save(buffer, "PNG")
    return {"name": "rodamiento.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_a_storekeeper_posts_a_shortage_accepts_a_source_and_receives_it(
    browser_page, photos_served, member, plant, other_plant, other_member, admin_user
):
    page = browser_page
    bearing = PartFactory(name="Rodamiento rígido de bolas", numbers=[("SKF", "6205-2RS"), ("FAG", "6205-2RSR")])
    stock_item(plant=other_plant, part=bearing, quantity=6, condition="refurbished")

    # Sign in, post a shortage by the number on the old part, with a photo.
    sign_in(page, member)
    page.goto(page.base_url + "/requests/new/")
    page.fill('input[name="number"]', "fag 6205-2rsr")
    page.get_by_text("Encontrado en el catálogo").wait_for()
    page.fill('input[name="quantity"]', "2")
    page.get_by_label("Producción parada", exact=True).check()
    page.fill('input[name="stopped_since"]', (timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    page.fill('input[name="downtime_usd_per_day"]', "1200")
    page.set_input_files('input[name="photos"]', [photo_png()])
    look_at(page, "request-new")
    page.get_by_role("button", name="Publicar la solicitud").click()
    page.wait_for_load_state()

    # Its page: the part found with its numbers, the photo, the sources ranked.
    part_request = PartRequest.objects.get(plant=plant)
    assert page.url.endswith(f"/requests/{part_request.pk}/")
    assert part_request.part == bearing and part_request.photos.count() == 1
    assert "3 días" in page.content() and "3.600,00 USD" in page.content()
    page.locator(".photos img").first.wait_for()
    assert page.evaluate("document.querySelector('.photos img').naturalWidth") > 0
    assert other_plant.name in page.locator("ol.items").inner_text()
    look_at(page, "request-sources")

    # An administrator approves the source; the source plant quotes it.
    match = Match.objects.get(request=part_request)
    services.match_approve(match=match, user=admin_user)
    services.match_quote(match=match, user=other_member, price="85.00", currency="USD", lead_time_days=2)
    page.reload()
    look_at(page, "request-quoted")

    page.get_by_role("button", name="Aceptar esta fuente").click()
    page.wait_for_load_state()
    assert "Aceptó esta fuente" in page.content()
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    look_at(page, "request-accepted")

    page.goto(page.base_url + f"/matches/{match.pk}/")
    look_at(page, "match-accepted")
    page.get_by_role("button", name="Confirmar que llegaron las unidades").click()
    page.wait_for_load_state()
    assert "Recepción confirmada" in page.content()
    part_request.refresh_from_db()
    assert part_request.status == PartRequest.Status.FULFILLED
    look_at(page, "match-received")

    page.goto(page.base_url + "/requests/?status=fulfilled")
    assert bearing.name in page.locator("ul.items").inner_text()
    look_at(page, "requests-list")
