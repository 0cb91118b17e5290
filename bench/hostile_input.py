"""Hostile input: each probe of issue 16 (items 1, 2, 3 and 8) sent in-process, with its status and time.

Seeds a throwaway SQLite database (or the database DATABASE_URL names: it is migrated and written to),
then sends every probe through Django's test client as an API client would, and prints one line per
probe: the status, the milliseconds and what was sent. Exits 1 when a probe is answered 5xx or takes
longer than a second.

    .venv/bin/python bench/hostile_input.py [--skip TEXT ...]   # leaves out the probes whose label holds TEXT
"""

import io
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_MS = 1000


def deep_object(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def arabic_indic(number: int) -> str:
    return "".join(chr(0x0660 + int(digit)) for digit in str(number))


def csv_upload(quantity: str):
    upload = io.BytesIO(f"numero de parte,cantidad\n6205-2RS,{quantity}\n".encode())
    upload.name = "stock.csv"
    return upload


def probes(ids):
    match, part, plant = ids["match"], ids["part"], ids["plant"]
    for quantity in [
        "1e999999999",
        "Infinity",
        "sNaN",
        "NaN",
        "1e10",
        "2147483648",
        "99999999999999999999999",
        "1000001",
        "99999999999",
    ]:
        for dry_run in ("true", "false"):
            yield (
                f"1 import quantity {quantity} dry_run={dry_run}",
                "member",
                "POST",
                "/api/stock/import/",
                {"file": csv_upload(quantity), "plant": plant, "dry_run": dry_run},
                None,
            )
    for levels in (1_000, 100_000):
        yield f"2 token, JSON {levels} levels deep", None, "POST", "/api/auth/token/", deep_object(levels), "json"
        yield f"2 request, JSON {levels} levels deep", "member", "POST", "/api/requests/", deep_object(levels), "json"
    flat = "[" + ",".join(["[[[[]]]]"] * 250_000) + "]"
    yield f"2 request, {len(flat) // 1024} KB of shallow arrays", "member", "POST", "/api/requests/", flat, "json"
    big = json.dumps({"username": "x" * 3_000_000, "password": "x"})
    yield "2 token, 3 MB body", None, "POST", "/api/auth/token/", big, "json"
    yield (
        "3 PATCH part numbers without number",
        "admin",
        "PATCH",
        f"/api/parts/{part}/",
        {"numbers": [{"brand": "SKF"}]},
        "json",
    )
    yield "3 token, NUL in username", None, "POST", "/api/auth/token/", {"username": "a\x00b", "password": "x"}, "json"
    yield (
        "3 membership, NUL in username",
        "member",
        "POST",
        "/api/memberships/",
        {"user": "a\x00b", "plant": plant},
        "json",
    )
    yield (
        "8 stock, part 62.9",
        "member",
        "POST",
        "/api/stock/",
        {"plant": plant, "part": part + 0.9, "location": "A"},
        "json",
    )
    yield (
        "8 stock, part in Arabic-Indic digits",
        "member",
        "POST",
        "/api/stock/",
        {"plant": plant, "part": arabic_indic(part), "location": "B"},
        "json",
    )
    yield "8 plant, latitude true", "admin", "POST", "/api/plants/", {"name": "P1", "latitude": True}, "json"
    yield "8 plant, latitude NaN", "admin", "POST", "/api/plants/", {"name": "P2", "latitude": "NaN"}, "json"
    for body in ("{not json", "[]", "42"):
        yield f"8 approve, body {body}", "admin", "POST", f"/api/matches/{match}/approve/", body, "json"
    yield (
        "8 approve, multipart without its boundary",
        "admin",
        "POST",
        f"/api/matches/{match}/approve/",
        "x=1",
        "multipart/form-data; boundary=zz",
    )
    yield "8 stock, page_size=0", "member", "GET", "/api/stock/?page_size=0", None, None
    yield "8 TRACE /api/stock/", "member", "TRACE", "/api/stock/", None, None
    yield "8 TRACE /api/stock/, anonymous", None, "TRACE", "/api/stock/", None, None


def seed():
    from django.contrib.auth import get_user_model
    from knox.models import AuthToken

    from exchange import services as exchange_services
    from exchange.models import Match
    from inventory import services as inventory_services
    from inventory.access import SYSTEM
    from inventory.models import Membership, Plant

    users = get_user_model().objects
    plant = Plant.objects.create(name="Planta", kind="plant")
    source = Plant.objects.create(name="Fuente", kind="plant")
    member = users.create_user("miembro", password="x")
    admin = users.create_user("admin", password="x", is_staff=True, is_superuser=True)
    Membership.objects.create(user=member, plant=plant, role=Membership.Role.MANAGER)
    part = inventory_services.part_create(
        name="Rodamiento", numbers=[inventory_services.NumberSpec("SKF", "6205-2RS")], user=SYSTEM
    )
    stock = inventory_services.stock_item_create(plant=source, part=part, quantity=3, user=SYSTEM)
    request = exchange_services.part_request_create(plant=plant, part=part, quantity=1, user=member)
    match, _ = Match.objects.get_or_create(
        request=request, stock_item=stock, defaults={"source": "stock", "source_plant": source, "quantity": 1}
    )
    tokens = {"member": AuthToken.objects.create(user=member)[1], "admin": AuthToken.objects.create(user=admin)[1]}
    return tokens, {"match": match.pk, "part": part.pk, "plant": plant.pk}


def main() -> int:
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp(prefix='hostile-')) / 'db.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("LOG_LEVEL", "CRITICAL")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    # Only server errors are worth a log line here; every probe is meant to be refused.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    tokens, ids = seed()
    # The first request loads translations and URL patterns: not a cost of any probe.
    Client().get("/api/processes/", HTTP_AUTHORIZATION=f"Token {tokens['member']}")
    failures = 0
    skipped = [sys.argv[index + 1] for index, word in enumerate(sys.argv[:-1]) if word == "--skip"]
    for label, who, method, path, body, content_type in probes(ids):
        if any(text in label for text in skipped):
            continue
        client = Client(raise_request_exception=False)
        headers = {"HTTP_AUTHORIZATION": f"Token {tokens[who]}"} if who else {}
        started = time.perf_counter()
        if body is not None and content_type is None:
            response = client.post(path, body, **headers)
        elif body is not None:
            data = json.dumps(body) if isinstance(body, dict) else body
            media = "application/json" if content_type == "json" else content_type
            response = client.generic(method, path, data, content_type=media, **headers)
        else:
            response = client.generic(method, path, **headers)
        elapsed_ms = (time.perf_counter() - started) * 1000
        bad = response.status_code >= 500 or elapsed_ms > SLOW_MS
        failures += bad
        answer = response.content[:70].decode(errors="replace").replace("\n", " ")
        print(f"{response.status_code}  {elapsed_ms:8.1f} ms  {'FAIL ' if bad else ''}{label}  {answer}")
    print(f"{failures} probe(s) answered 5xx or slower than {SLOW_MS} ms")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
