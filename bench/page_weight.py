"""What each web page weighs on a first visit, and how long the server takes to draw it.

For every page of PAGES, signed in as its demo user on the demo data (load_demo, plus open shortages
enough to fill the board's 25 rows), prints:
- the HTML as sent, gzip-compressed by the pages' middleware (budget 14 KB for 25 rows);
- the stylesheets, scripts and images it loads, gzip-compressed as whitenoise serves them;
- the total over the wire on a first visit (budget 30 KB) and the requests it takes (budget 5);
- the server's median (p50) time over RUNS draws (budget 30 ms).
Exits 1 when a page is over a budget.

Run:  .venv/bin/python bench/page_weight.py
It builds its own database (an in-memory SQLite, or DATABASE_URL's test database) and drops it after.
Add each new page to PAGES: (name, demo username, path or a function of the data returning the path).
"""

import gzip
import io
import logging
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

HTML_BUDGET = 14 * 1024
FIRST_VISIT_BUDGET = 30 * 1024
REQUESTS_BUDGET = 5
P50_BUDGET_MS = 30
RUNS = 20
BOARD_ROWS = 26  # one more than a page, so that the board draws 25 rows and its "next" link
SHOP = "taller"


def _shortage_a_shop_can_make():
    from exchange.selectors import open_requests_fitting, plant_capabilities
    from inventory.models import Membership

    plant_id = Membership.objects.filter(user__username=SHOP).values_list("plant_id", flat=True).first()
    fits = open_requests_fitting(plant_capabilities(plant_id))
    return f"/requests/{min(fits)}/offer/"


def _a_shops_capability():
    from inventory.models import Capability

    capability = Capability.objects.filter(plant__memberships__user__username=SHOP).order_by("pk").first()
    return f"/capabilities/{capability.pk}/"


PAGES = [
    ("sign-in", None, "/"),
    ("home (shop)", SHOP, "/"),
    ("board, 25 rows", SHOP, "/board/"),
    ("board, fits", SHOP, "/board/?fits=on"),
    ("offer", SHOP, _shortage_a_shop_can_make),
    ("workshop", SHOP, "/capabilities/"),
    ("new capability", SHOP, "/capabilities/new/"),
    ("capability", SHOP, _a_shops_capability),
]

ASSET = re.compile(r"""<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="(?P<url>[^"]+)\"""")


def _fill_the_board():
    from exchange.models import PartRequest
    from exchange.services import part_request_create
    from inventory.models import Membership

    membership = Membership.objects.exclude(plant__memberships__user__username=SHOP).select_related("plant", "user")
    membership = membership.first()
    missing = BOARD_ROWS - PartRequest.objects.filter(status=PartRequest.Status.OPEN).count()
    for number in range(max(missing, 0)):
        part_request_create(
            plant=membership.plant,
            user=membership.user,
            description=f"Rodamiento de rodillos cónicos para el reductor de la línea {number + 1}",
            quantity=2,
            criticality="degraded",
        )


def _asset_bytes(url: str) -> int:
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    if path is None:
        raise SystemExit(f"{url}: not a static file of the project")
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=9))


def measure(client: Client, path: str) -> dict:
    times = []
    for _run in range(RUNS):
        start = time.perf_counter()
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        times.append((time.perf_counter() - start) * 1000)
    if response.status_code != 200:
        raise SystemExit(f"{path}: answered {response.status_code}")
    body = response.content
    html = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    assets = [match["url"] for match in ASSET.finditer(html.decode()) if not match["url"].startswith("data:")]
    asset_bytes = sum(_asset_bytes(url) for url in assets)
    return {
        "html": len(body),
        "assets": asset_bytes,
        "total": len(body) + asset_bytes,
        "requests": 1 + len(assets),
        "p50": statistics.median(times),
    }


def main() -> int:
    # The eager tasks' log lines and whitenoise's missing collectstatic folder are not this report.
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    setup_test_environment()
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_demo", stdout=io.StringIO())
        _fill_the_board()
        users = get_user_model().objects
        print(f"{'page':<18} {'HTML gz':>8} {'assets':>8} {'total':>8} {'requests':>8} {'p50 ms':>7}")
        over = []
        for name, username, path in PAGES:
            client = Client()
            if username:
                client.force_login(users.get(username=username))
            path = path() if callable(path) else path
            figures = measure(client, path)
            print(
                f"{name:<18} {figures['html']:>8,} {figures['assets']:>8,} {figures['total']:>8,}"
                f" {figures['requests']:>8} {figures['p50']:>7.1f}"
            )
            if (
                figures["html"] > HTML_BUDGET
                or figures["total"] > FIRST_VISIT_BUDGET
                or figures["requests"] > REQUESTS_BUDGET
                or figures["p50"] > P50_BUDGET_MS
            ):
                over.append(name)
        print(
            f"budgets: HTML ≤ {HTML_BUDGET:,} B, first visit ≤ {FIRST_VISIT_BUDGET:,} B, ≤ {REQUESTS_BUDGET} requests,"
        )
        print(f"p50 ≤ {P50_BUDGET_MS} ms; {'over budget: ' + ', '.join(over) if over else 'all pages within them'}")
        return 1 if over else 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
