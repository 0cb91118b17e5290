"""Weight, requests and server time of the plant staff's pages, against SPEC's budgets.

    .venv/bin/python -m bench.page_weight

Builds a throw-away database with the demo data (load_demo) and enough rows to fill the pages (25
shortages, a shortage with 10 sources), then loads each page of PAGES as a first visit would: the HTML as
the server compresses it, and every stylesheet, script and image it links, gzipped as whitenoise serves
them in production (runserver and the test settings compress nothing). The shortage with 10 sources has
three photos of a worn part, so its weight counts the thumbnail it shows. Prints, per page, the bytes over
the wire, the compressed HTML, the number of requests and the median server time of 20 loads.
"""

import gzip
import io
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from decimal import Decimal
from html.parser import HTMLParser

BUDGET_TOTAL_BYTES = 30 * 1024
BUDGET_HTML_BYTES = 14 * 1024
BUDGET_REQUESTS = 5
BUDGET_P50_MS = 30
LOADS = 20


def _request_page(data):
    return f"/requests/{data['sourced_request'].pk}/"


def _match_page(data):
    return f"/matches/{data['match'].pk}/"


# (name, address or a function of the data that gives it)
PAGES = [
    ("home", "/"),
    ("requests", "/requests/"),
    ("request new", "/requests/new/"),
    ("request, 10 sources", _request_page),
    ("match", _match_page),
]


class _Subresources(HTMLParser):
    """The addresses a browser fetches on a first visit: stylesheets, scripts, images."""

    def __init__(self):
        super().__init__()
        self.addresses = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.addresses.append(attrs["href"])
        elif tag in {"script", "img"} and attrs.get("src"):
            self.addresses.append(attrs["src"])


def _headers_bytes(response) -> int:
    return len("HTTP/1.1 200 OK\r\n") + sum(len(f"{name}: {value}\r\n") for name, value in response.items()) + 2


def _body_over_the_wire(response) -> int:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        return len(body)
    if response.get("Content-Type", "").startswith(("text/", "application/javascript", "image/svg")):
        return len(gzip.compress(body, compresslevel=9))
    return len(body)


def urlpatterns_serving_media():
    """The project's addresses, and the photos' as a proxy or object store serves them in production."""
    from django.conf import settings
    from django.urls import include, path, re_path
    from django.views.static import serve

    return [
        re_path(r"^media/(?P<path>.*)$", lambda request, path: serve(request, path, settings.MEDIA_ROOT)),
        path("", include("config.urls")),
    ]


def _worn_part_photo(seed):
    """A JPEG about as hard to compress as a phone's photo of a worn part: texture, not a flat colour."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageFilter

    image = Image.effect_noise((1600, 1200), 40 + seed).convert("RGB").filter(ImageFilter.GaussianBlur(3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(f"pieza-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _build_data():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from exchange import services
    from exchange.models import Criticality, Match
    from inventory import access
    from inventory import services as inventory_services
    from inventory.models import Membership, Part, Plant

    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    user = get_user_model().objects.get(username="planta")
    plant = Membership.objects.filter(user=user).select_related("plant").first().plant
    part = Part.objects.order_by("pk").first()
    sources = []
    for index in range(10):
        source = Plant.objects.create(
            name=f"Planta de banco {index}", kind=Plant.Kind.PLANT, state="Aragua", city="Maracay",
            latitude=10.2 + index / 100, longitude=-67.6,
        )  # fmt: skip
        inventory_services.stock_item_create(plant=source, part=part, quantity=3 + index, user=access.SYSTEM)
        sources.append(source)
    criticalities = list(Criticality.values)
    for index in range(25):
        services.part_request_create(
            plant=plant,
            user=user,
            description=f"Repuesto de banco {index}, con su descripción de una línea",
            quantity=1 + index % 4,
            criticality=criticalities[index % 3],
            import_price_usd=Decimal("120.00"),
        )
    sourced = services.part_request_create(
        plant=plant, user=user, part=part, quantity=4, criticality=Criticality.PRODUCTION_STOPPED
    )
    services.part_request_match(part_request_id=sourced.pk)
    services.part_request_photos_add(
        part_request=sourced, user=user, image_files=[_worn_part_photo(seed) for seed in range(3)]
    )
    match = Match.objects.filter(request=sourced).order_by("-score").first()
    return {"user": user, "sourced_request": sourced, "match": match, "sources": len(sources)}


def _measure(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html_bytes = _body_over_the_wire(response)
    total = _headers_bytes(response) + html_bytes
    html = response.content
    if response.get("Content-Encoding") == "gzip":
        html = gzip.decompress(html)
    parser = _Subresources()
    parser.feed(html.decode())
    for address in parser.addresses:
        asset = client.get(address)
        assert asset.status_code == 200, (address, asset.status_code)
        total += _headers_bytes(asset) + _body_over_the_wire(asset)
    timings = []
    for _ in range(LOADS):
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "total": total,
        "html": html_bytes,
        "requests": 1 + len(parser.addresses),
        "p50_ms": statistics.median(timings),
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    # The eager tasks' log lines and the missing collectstatic folder (files come from the apps) are noise here.
    logging.getLogger("celery").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    global urlpatterns
    urlpatterns = urlpatterns_serving_media()
    media = tempfile.TemporaryDirectory()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    failed = False
    try:
        with override_settings(LANGUAGE_CODE="es", MEDIA_ROOT=media.name, ROOT_URLCONF=__name__):
            data = _build_data()
            client = Client(HTTP_ACCEPT_ENCODING="gzip")
            client.force_login(data["user"])
            print(f"{connection.vendor}, {settings.MATCHING_TOP_N} sources at most, {LOADS} loads a page")
            print(f"{'page':<22}{'over the wire':>15}{'HTML gzip':>11}{'requests':>10}{'p50 ms':>8}")
            for name, address in PAGES:
                path = address(data) if callable(address) else address
                result = _measure(client, path)
                within = (
                    result["total"] <= BUDGET_TOTAL_BYTES
                    and result["html"] <= BUDGET_HTML_BYTES
                    and result["requests"] <= BUDGET_REQUESTS
                    and result["p50_ms"] <= BUDGET_P50_MS
                )
                failed |= not within
                print(
                    f"{name:<22}{result['total']:>15,}{result['html']:>11,}{result['requests']:>10}"
                    f"{result['p50_ms']:>8.1f}{'' if within else '  over budget'}"
                )
            print(
                f"budgets: {BUDGET_TOTAL_BYTES:,} B a page, {BUDGET_HTML_BYTES:,} B of HTML, "
                f"{BUDGET_REQUESTS} requests, p50 {BUDGET_P50_MS} ms"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        media.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
