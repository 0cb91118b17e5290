"""Each page's weight on a first visit: compressed HTML, the static files it loads, requests, server time.

    .venv/bin/python bench/page_weight.py

Runs on a throwaway test database with 25 rows wherever a page lists rows. Static files are counted
gzipped, as whitenoise serves them in production (runserver compresses nothing). Budgets (SPEC):
30 KB a page with its static files, 14 KB of compressed HTML, 5 requests.
"""

import gzip
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PAGE_BYTES, HTML_BYTES, REQUESTS = 30 * 1024, 14 * 1024, 5


def demo(user):
    from inventory import access
    from inventory.services import stock_set_quantity
    from tests.factories import MembershipFactory, PartFactory, PlantFactory, stock_item

    plant = PlantFactory(name="Planta Centro")
    MembershipFactory(plant=plant, user=user)
    items = [
        stock_item(plant=plant, part=PartFactory(name=f"Rodamiento rígido de bolas 62{index:02}"), location=f"E{index}")
        for index in range(25)
    ]
    for quantity in range(6, 30):
        stock_set_quantity(stock_item=items[0], quantity=quantity, user=access.SYSTEM, note="Conteo cíclico")
    return {"item": items[0].pk}


def pages(ids):
    return [
        "/stock/",
        "/stock/new/",
        f"/stock/{ids['item']}/",
        "/stock/import/",
        "/stock/labels/",
    ]


def static_bytes(html: str) -> tuple[int, int]:
    pattern = '(?:href|src)="' + re.escape(settings.STATIC_URL) + '([^"]+)"'
    paths = re.findall(pattern, html)
    total = 0
    for path in paths:
        total += len(gzip.compress(Path(finders.find(path)).read_bytes()))
    return total, len(paths)


def main():
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from tests.factories import UserFactory

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        user = UserFactory(username="almacenista")
        ids = demo(user)
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        client.force_login(user)
        print(f"{'page':28} {'html gz':>8} {'static gz':>9} {'total':>8} {'requests':>8} {'p50 ms':>7}  budget")
        failed = False
        for path in pages(ids):
            timings = []
            for _ in range(15):
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            body = response.content
            html = gzip.decompress(body).decode() if response.get("Content-Encoding") == "gzip" else body.decode()
            static, files = static_bytes(html)
            total, requests = len(body) + static, 1 + files
            ok = total <= PAGE_BYTES and requests <= REQUESTS and len(body) <= HTML_BYTES
            failed |= not ok
            note = "ok" if ok else "OVER"
            print(
                f"{path:28} {len(body):8} {static:9} {total:8} {requests:8} {statistics.median(timings):7.1f}  {note}"
            )
        connection.close()
    finally:
        teardown_databases(old, verbosity=0)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
