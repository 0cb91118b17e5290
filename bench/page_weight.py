"""Page weight: what each page costs a phone on 3G on a first visit, against SPEC's budgets.

Seeds a throwaway SQLite database (a plant with 25 open shortages, each with a source at a second plant,
one more with 10 sources and 3 photos of the worn part, a member of the first, a member of both), collects the static files as production serves them
(hashed, compressed by whitenoise), then fetches every page in PAGES through Django's test client as a
browser would: the HTML, then each stylesheet, script and image it links to, accepting gzip. Prints per
page the HTML's bytes raw and compressed, each asset's compressed bytes, the total over the wire and
the number of requests (bodies only; headers are not counted). Exits 1 when a page breaks a budget.

    .venv/bin/python bench/page_weight.py
"""

import gzip
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (path, who): who is "visitor", "member" (of the plant with 25 shortages) or "several" (of both plants).
# A path may name a seeded object: {request}, {match}, {stock_item}.
PAGES = [
    ("/login/", "visitor"),
    ("/", "visitor"),
    ("/", "member"),
    ("/plant/", "several"),
    ("/stock/", "member"),
    ("/stock/new/", "member"),
    ("/stock/{own_stock_item}/", "member"),
    ("/stock/import/", "member"),
    ("/stock/labels/", "member"),
    ("/notifications/", "member"),
    ("/requests/", "member"),
    ("/requests/new/", "member"),
    ("/requests/{sourced_request}/", "member"),
    ("/matches/{sourced_match}/", "member"),
    ("/", "shop"),
    ("/board/", "shop"),
    ("/board/?fits=on", "shop"),
    ("/requests/{shaft_request}/offer/", "shop"),
    ("/capabilities/", "shop"),
    ("/capabilities/new/", "shop"),
    ("/capabilities/{capability}/", "shop"),
    ("/verify/{serial}/", "visitor"),
    ("/transparency/", "member"),
]

BUDGET_TOTAL_BYTES = 30 * 1024
BUDGET_HTML_GZIP_BYTES = 14 * 1024
BUDGET_REQUESTS = 5
BUDGET_SERVER_P50_MS = 30
ROWS = 25
TIMED_FETCHES = 15

ASSET = re.compile(r'<(?:link[^>]+rel="(?:stylesheet|icon|preload)"[^>]*href|script[^>]+src|img[^>]+src)="([^"]+)"')


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="page-weight-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    override_settings(
        DEBUG=False,
        LANGUAGE_CODE="es",
        MEDIA_ROOT=workdir / "media",
        ROOT_URLCONF="bench.page_weight",
        STATIC_ROOT=workdir / "static",
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)

    users, ids = seed()
    broken = []
    for path, who in PAGES:
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        if users[who] is not None:
            client.force_login(users[who])
        broken += measure(client, path.format(**ids), who)
    shutil.rmtree(workdir)
    if broken:
        print("\nOver budget:\n  " + "\n  ".join(broken))
        return 1
    print(
        f"\nEvery page within budget: {BUDGET_TOTAL_BYTES // 1024} KB a first visit, "
        f"{BUDGET_HTML_GZIP_BYTES // 1024} KB of compressed HTML, {BUDGET_REQUESTS} requests."
    )
    return 0


def _media_and_project_urls():
    """The project's addresses, and the photos' as a proxy or an object store serves them in production."""
    from django.conf import settings
    from django.urls import include, path, re_path
    from django.views.static import serve

    return [
        re_path(r"^media/(?P<path>.*)$", lambda request, path: serve(request, path, settings.MEDIA_ROOT)),
        path("", include("config.urls")),
    ]


def __getattr__(name):
    # ROOT_URLCONF names this module: its patterns are built when Django first asks, once it is set up.
    if name == "urlpatterns":
        return _media_and_project_urls()
    raise AttributeError(name)


def worn_part_photo(seed: int):
    """A JPEG about as hard to compress as a phone's photo of a worn part: texture, not a flat colour."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageFilter

    image = Image.effect_noise((1600, 1200), 40 + seed).convert("RGB").filter(ImageFilter.GaussianBlur(3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(f"pieza-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed():
    from exchange import engine
    from exchange import services as exchange_services
    from exchange.models import Criticality, Match
    from inventory import access
    from inventory import services as inventory_services
    from inventory.models import Membership, Part, PartNumber, Plant
    from inventory.models import StockItem as Stock

    def user(name):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.create_user(name, password="pass-1234")

    plant = Plant.objects.create(
        name="Central Azucarera Ezequiel Zamora", kind=Plant.Kind.PLANT, ownership=Plant.Ownership.STATE,
        sector="food", state="Barinas", city="Sabaneta", latitude=8.75, longitude=-69.93,
    )  # fmt: skip
    source = Plant.objects.create(
        name="Tornería Industrial Guayana", kind=Plant.Kind.MACHINE_SHOP, ownership=Plant.Ownership.PRIVATE,
        sector="machining", state="Bolívar", city="Ciudad Guayana", latitude=8.3, longitude=-62.7,
    )  # fmt: skip
    member, several, shop = user("almacenista"), user("supervisor"), user("capataz")
    Membership.objects.create(user=member, plant=plant)
    Membership.objects.create(user=several, plant=plant)
    Membership.objects.create(user=several, plant=source)
    Membership.objects.create(user=shop, plant=source)
    criticalities = list(Criticality.values)
    for row in range(ROWS):
        part = Part.objects.create(name=f"Rodamiento rígido de bolas 62{row:02d}-2RS", category="bearing")
        PartNumber.objects.create(part=part, brand="SKF", number=f"62{row:02d}-2RS1")
        inventory_services.stock_item_create(plant=source, part=part, quantity=10, user=access.SYSTEM)
        own = inventory_services.stock_item_create(
            plant=plant, part=part, quantity=1, location=f"E{row}-B1", user=access.SYSTEM
        )
        exchange_services.part_request_create(
            plant=plant, user=member, part=part, quantity=2, criticality=criticalities[row % len(criticalities)]
        )
    # A stopped line with 10 sources (MATCHING_TOP_N) and photos: the heaviest shortage and match pages.
    wanted = Part.objects.create(name="Sello mecánico de bomba centrífuga", category="seal")
    PartNumber.objects.create(part=wanted, brand="John Crane", number="T21-1.375")
    for index in range(10):
        holder = Plant.objects.create(
            name=f"Planta de Aragua {index}", kind=Plant.Kind.PLANT, ownership=Plant.Ownership.STATE,
            sector="food", state="Aragua", city="Maracay", latitude=10.25 + index / 100, longitude=-67.6,
        )  # fmt: skip
        inventory_services.stock_item_create(plant=holder, part=wanted, quantity=2 + index, user=access.SYSTEM)
    sourced = exchange_services.part_request_create_with_photos(
        plant=plant, user=member, part=wanted, quantity=4, criticality=Criticality.PRODUCTION_STOPPED,
        image_files=[worn_part_photo(index) for index in range(3)],
    )  # fmt: skip
    engine.part_request_match(part_request_id=sourced.pk)
    # One bin counted ROWS times: its page shows a full ledger.
    for quantity in range(2, ROWS + 2):
        inventory_services.stock_set_quantity(stock_item=own, quantity=quantity, user=member, note="Conteo cíclico")
    # The shop's workshop, and one more shortage it can make: the board then has a next page.
    steel = inventory_services.material_create(
        name="Acero 1045", family="carbon_steel", designations=["AISI 1045"], user=access.SYSTEM
    )
    lathe = inventory_services.capability_create(
        plant=source, process="turning", materials=[steel], max_diameter_mm=300, best_it_grade=7, user=shop
    )
    shaft_request = exchange_services.part_request_create(
        plant=plant, user=member, description="Eje de la bomba de alimentación de la caldera", quantity=1,
        criticality=Criticality.PRODUCTION_STOPPED, material=steel, processes=["turning"], diameter_mm=80,
    )  # fmt: skip
    serial = seed_clearances(user("tejedor"))
    ids = {
        "serial": serial,
        "shaft_request": shaft_request.pk,
        "capability": lathe.pk,
        "own_stock_item": own.pk,
        "request": plant.part_requests.order_by("pk").values_list("pk", flat=True).first(),
        "match": Match.objects.order_by("pk").values_list("pk", flat=True).first(),
        "stock_item": Stock.objects.order_by("pk").values_list("pk", flat=True).first(),
        "sourced_request": sourced.pk,
        "sourced_match": sourced.matches.order_by("-score", "pk").values_list("pk", flat=True).first(),
    }
    return {"visitor": None, "member": member, "several": several, "shop": shop}, ids


def seed_clearances(importer_member) -> str:
    """ROWS imports cleared at a plant of their own, and one more whose 10 sources were all declined with a reason.

    Answers the last one's serial: its /verify/ page lists the most sources.
    """
    from datetime import timedelta

    from django.utils import timezone

    from exchange import clearances, engine
    from exchange import services as exchange_services
    from exchange.models import PartRequest
    from inventory import access
    from inventory import services as inventory_services
    from inventory.models import Membership, Part, PartNumber, Plant

    importer = Plant.objects.create(
        name="Textilera del Tuy", kind=Plant.Kind.PLANT, ownership=Plant.Ownership.STATE,
        sector="textiles", state="Miranda", city="Ocumare del Tuy", latitude=10.12, longitude=-66.78,
    )  # fmt: skip
    member = importer_member
    Membership.objects.create(user=member, plant=importer)
    for row in range(ROWS):
        exchange_services.part_request_create(
            plant=importer, user=member, description=f"Tarjeta de control del telar Picanol {row}", quantity=1
        )
    gear = Part.objects.create(name="Engranaje helicoidal del reductor", category="gear")
    PartNumber.objects.create(part=gear, brand="SEW", number="R87-Z2")
    for holder in Plant.objects.filter(state="Aragua"):
        inventory_services.stock_item_create(plant=holder, part=gear, quantity=1, user=access.SYSTEM)
    declined = exchange_services.part_request_create(plant=importer, user=member, part=gear, quantity=1)
    engine.part_request_match(part_request_id=declined.pk)
    for match in declined.matches.all():
        exchange_services.match_decline(match=match, user=member, note="Dientes gastados: no sirve para el reductor.")
    PartRequest.objects.filter(plant=importer).update(created_at=timezone.now() - timedelta(days=10))
    serial = ""
    for part_request in PartRequest.objects.filter(plant=importer).order_by("pk"):
        clearance = clearances.clearance_ask(part_request=part_request, user=member)
        clearance = clearances.clearance_grant(clearance=clearance, user=access.SYSTEM, note="Sin fuente nacional.")
        serial = clearance.serial
    return serial


def measure(client, path: str, who: str) -> list[str]:
    timings = []
    for _ in range(TIMED_FETCHES):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    if response.status_code != 200:
        return [f"{path} ({who}): answered {response.status_code}"]
    server_p50 = statistics.median(timings)
    served = body(response)
    compressed = response.get("Content-Encoding") == "gzip"
    html = gzip.decompress(served) if compressed else served
    html_gzip = len(served) if compressed else len(gzip.compress(html))
    print(f"\n{path} as {who}")
    print(
        f"  HTML {len(html):>8,} B raw {html_gzip:>7,} B compressed{'' if compressed else ' (NOT served compressed)'}"
    )
    total, requests = len(served), 1
    for url in sorted(set(ASSET.findall(html.decode()))):
        if url.startswith("data:"):
            continue
        asset = client.get(url)
        size = len(body(asset))
        total += size
        requests += 1
        encoding = asset.get("Content-Encoding", "identity")
        print(f"  {url:<44} {size:>7,} B {encoding}{'' if asset.status_code == 200 else f' ({asset.status_code})'}")
    print(f"  total {total:>7,} B over the wire, {requests} requests, server p50 {server_p50:.1f} ms")
    broken = []
    if server_p50 > BUDGET_SERVER_P50_MS:
        broken.append(f"{path} ({who}): server p50 {server_p50:.1f} ms > {BUDGET_SERVER_P50_MS}")
    if total > BUDGET_TOTAL_BYTES:
        broken.append(f"{path} ({who}): {total:,} B over the wire > {BUDGET_TOTAL_BYTES:,}")
    if html_gzip > BUDGET_HTML_GZIP_BYTES:
        broken.append(f"{path} ({who}): {html_gzip:,} B of compressed HTML > {BUDGET_HTML_GZIP_BYTES:,}")
    if requests > BUDGET_REQUESTS:
        broken.append(f"{path} ({who}): {requests} requests > {BUDGET_REQUESTS}")
    if not compressed:
        broken.append(f"{path} ({who}): the HTML is not served compressed")
    return broken


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


if __name__ == "__main__":
    sys.exit(main())
