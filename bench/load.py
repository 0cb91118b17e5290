"""Load test: gunicorn on loopback, many clients fighting over a few scarce stock items.

Migrates the database named by DATABASE_URL (PostgreSQL), seeds its own small
world through the services (plants, shops, users with tokens, a few items of a
few units each), starts gunicorn with config.wsgi, config/gunicorn.py and the
production settings, then runs client threads for a while that mix list reads, new
requests, offers, admin approvals, quotes, accepts, shipments, receipts (some
short, some into stock), resolutions of units not received and stock counts,
all over HTTP as real clients would. Prints throughput, p50/p95
latency and answers by status; then checks the stock and exchange invariants
over the whole database (bench/invariants.py). Exits non-zero if any answer
was a 5xx, a request failed at the connection level, or an invariant broke.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/exchange_load python bench/load.py --seconds 60

Celery runs eagerly inside gunicorn unless CELERY_BROKER_URL is set; then the
script also starts a Celery worker on that broker, as in production, so
matching runs off the request path.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--gunicorn-threads", type=int, default=1, help="more than 1 selects the gthread worker")
    parser.add_argument("--scarce-items", type=int, default=3, help="stock items the clients compete for")
    parser.add_argument("--units", type=int, default=4, help="units in each scarce item at the start")
    parser.add_argument("--seed", type=int, default=8)
    return parser.parse_args()


def configure_environment():
    """The production settings, on loopback; throttles high enough that the load measures the server."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
    os.environ.setdefault("DEBUG", "false")
    os.environ["ALLOWED_HOSTS"] = HOST
    os.environ.setdefault("THROTTLE_USER", "1000000/minute")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))


# The world


@dataclass
class Actor:
    username: str
    token: str
    plant_id: int | None = None
    stock_by_part: dict = field(default_factory=dict)


@dataclass
class World:
    admin: Actor
    requesters: list
    sources: list
    part_ids: list


def seed_world(scarce_items, units):
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from knox.models import AuthToken

    from exchange import rates
    from exchange.models import ExchangeRate
    from inventory import access
    from inventory import services as inventory_services
    from inventory.models import Plant

    # The load test's world is the operator's setup, written as access.SYSTEM; its actors then act over HTTP.
    system = access.SYSTEM

    run = uuid.uuid4().hex[:6]
    users = get_user_model().objects

    def actor(name, plant=None, **flags):
        user = users.create_user(username=f"load-{run}-{name}", password=secrets.token_urlsafe(16), **flags)
        if plant is not None:
            inventory_services.membership_create(member=user, plant=plant, user=system)
        return Actor(user.username, AuthToken.objects.create(user=user)[1], plant.pk if plant else None)

    admin = actor("admin", is_staff=True)
    # The clients quote in bolívares: they convert at the rate in force.
    if rates.exchange_rate_in_force(day=timezone.localdate()) is None:
        rates.exchange_rate_save(exchange_rate=ExchangeRate(date=timezone.localdate(), rate=300), user=system)
    parts = [
        inventory_services.part_create(
            name=f"Load bearing {run}-{index}",
            category="bearing",
            import_price_usd=40 + index,
            numbers=[inventory_services.NumberSpec("LOAD", f"{run}-{index}")],
            user=system,
        )
        for index in range(scarce_items)
    ]
    requesters = []
    for index, (state, latitude, longitude) in enumerate(
        [("Carabobo", 10.16, -68.0), ("Zulia", 10.65, -71.6), ("Lara", 10.07, -69.3), ("Aragua", 10.25, -67.6)]
    ):
        plant = inventory_services.plant_create(
            name=f"Load plant {run}-{index}", state=state, latitude=latitude, longitude=longitude, user=system
        )
        requesters.append(actor(f"plant{index}", plant))
    sources = []
    for index, (state, latitude, longitude) in enumerate([("Bolívar", 8.3, -62.7), ("Miranda", 10.3, -66.9)]):
        shop = inventory_services.plant_create(
            name=f"Load shop {run}-{index}",
            kind=Plant.Kind.MACHINE_SHOP,
            state=state,
            latitude=latitude,
            longitude=longitude,
            user=system,
        )
        source = actor(f"shop{index}", shop)
        for part in parts:
            item = inventory_services.stock_item_create(plant=shop, part=part, quantity=units, user=system)
            source.stock_by_part[part.pk] = item.pk
        sources.append(source)
    return World(admin, requesters, sources, [part.pk for part in parts])


# The server


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(port, workers, threads, log, application="config.wsgi"):
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        application,
        # The production configuration; the arguments after it override its address and workers.
        "--config",
        "config/gunicorn.py",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--timeout",
        "60",
        "--access-logfile",
        "-",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)


def start_celery_worker(log):
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "config",
        "worker",
        "--concurrency",
        "2",
        "--loglevel",
        "warning",
        "--without-gossip",
        "--without-mingle",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)


def wait_until_serving(port, token, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            client = Client(port, token)
            if client.call("GET", "/api/processes/", kind="warmup")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {seconds} s")


# The clients


class Client:
    """One keep-alive connection acting as one user; records every answer."""

    def __init__(self, port, token, results=None):
        self.port, self.token = port, token
        self.results = results if results is not None else []
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)

    def call(self, method, path, body=None, *, kind):
        headers = {
            "Authorization": f"Token {self.token}",
            "Accept": "application/json",
            # As a TLS-terminating proxy would tell the production settings.
            "X-Forwarded-Proto": "https",
        }
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
            status, data = "connection error", b""
        answered = time.perf_counter()
        self.results.append((kind, status, answered - started, answered))
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, None

    def results_of(self, path, *, kind):
        status, body = self.call("GET", path, kind=kind)
        return body["results"] if status == 200 else []


def requester_step(client, actor, world, rng):
    choice = rng.random()
    if choice < 0.25:
        client.call(
            "POST",
            "/api/requests/",
            {
                "plant": actor.plant_id,
                "part": rng.choice(world.part_ids),
                "quantity": rng.randint(1, 2),
                "criticality": "production_stopped",
            },
            kind="create request",
        )
    elif choice < 0.55:
        approved = [
            m
            for m in client.results_of("/api/matches/?status=approved&page_size=20", kind="list matches")
            if m["quote"]
        ]
        own_open = set(own_request_ids(client, actor, "&status=open")) if approved else set()
        mine = [m for m in approved if m["request"] in own_open]
        if mine:
            client.call("POST", f"/api/matches/{rng.choice(mine)['id']}/accept/", kind="accept")
    elif choice < 0.8:
        accepted = client.results_of(
            "/api/matches/?status=accepted&page_size=20", kind="list matches"
        ) + client.results_of("/api/matches/?status=shipped&page_size=20", kind="list matches")
        own = set(own_request_ids(client, actor)) if accepted else set()
        mine = [m for m in accepted if m["request"] in own]
        if mine:
            match = rng.choice(mine)
            sent = match["quantity_shipped"] or match["quantity"]
            # Now and then a unit goes missing on the way; spares go into the store half the time.
            received = sent - 1 if sent > 1 and rng.random() < 0.3 else sent
            client.call(
                "POST",
                f"/api/matches/{match['id']}/fulfil/",
                {"quantity": received, "into_stock": rng.random() < 0.5},
                kind="fulfil",
            )
    elif choice < 0.85:
        accepted = client.results_of("/api/matches/?status=accepted&page_size=20", kind="list matches")
        if accepted:
            client.call("POST", f"/api/matches/{rng.choice(accepted)['id']}/cancel/", {"note": "load"}, kind="cancel")
    else:
        client.call("GET", "/api/stats/", kind="stats")


def own_request_ids(client, actor, filters=""):
    return [
        r["id"]
        for r in client.results_of(f"/api/requests/?plant={actor.plant_id}&page_size=50{filters}", kind="list requests")
    ]


def source_step(client, actor, world, rng):
    choice = rng.random()
    if choice < 0.35:
        part_id = rng.choice(world.part_ids)
        open_requests = client.results_of(
            f"/api/requests/?status=open&part={part_id}&page_size=20", kind="list requests"
        )
        if open_requests:
            client.call(
                "POST",
                "/api/matches/",
                {
                    "request": rng.choice(open_requests)["id"],
                    "stock_item": actor.stock_by_part[part_id],
                    "price": "30.00",
                    "currency": "USD",
                    "lead_time_days": 3,
                    "quantity": rng.randint(1, 2),
                },
                kind="offer",
            )
    elif choice < 0.65:
        proposed = client.results_of(
            f"/api/matches/?status=proposed&source_plant={actor.plant_id}&page_size=20", kind="list matches"
        )
        if proposed:
            client.call(
                "POST",
                f"/api/matches/{rng.choice(proposed)['id']}/quote/",
                {
                    "price": "1500.00",
                    "currency": "VES",
                    "lead_time_days": 5,
                },
                kind="quote",
            )
    elif choice < 0.75:
        accepted = client.results_of(
            f"/api/matches/?status=accepted&source_plant={actor.plant_id}&page_size=20", kind="list matches"
        )
        if accepted:
            client.call("POST", f"/api/matches/{rng.choice(accepted)['id']}/ship/", {"note": "truck"}, kind="ship")
    elif choice < 0.85:
        item_id = rng.choice(list(actor.stock_by_part.values()))
        status, item = client.call("GET", f"/api/stock/{item_id}/", kind="read stock")
        if status == 200:
            client.call(
                "PATCH",
                f"/api/stock/{item_id}/",
                {"quantity": item["quantity"] + rng.randint(-1, 2)},
                kind="count stock",
            )
    else:
        client.call("GET", f"/api/stock/?plant={actor.plant_id}&available=true", kind="list stock")


def admin_step(client, actor, world, rng):
    if rng.random() < 0.2:
        short = client.results_of("/api/matches/?discrepancy=true&page_size=20", kind="list matches")
        if short:
            client.call(
                "POST",
                f"/api/matches/{rng.choice(short)['id']}/resolve/",
                {"resolution": rng.choice(["lost", "returned"])},
                kind="resolve",
            )
            return
    proposed = client.results_of("/api/matches/?status=proposed&page_size=20", kind="list matches")
    if not proposed:
        client.call("GET", "/api/requests/?status=open", kind="list requests")
        return
    match = rng.choice(proposed)
    if rng.random() < 0.85:
        client.call("POST", f"/api/matches/{match['id']}/approve/", kind="approve")
    else:
        client.call("POST", f"/api/matches/{match['id']}/reject/", {"reason": "too far"}, kind="reject")


def run_clients(port, world, clients, seconds, seed):
    actors = [(world.admin, admin_step)] * 2
    actors += [(source, source_step) for source in world.sources] * 2
    actors += [(requester, requester_step) for requester in world.requesters] * 3
    actors = (actors * (clients // len(actors) + 1))[:clients]
    results = []
    stop_at = time.monotonic() + seconds
    barrier = threading.Barrier(len(actors))

    def work(index, actor, step):
        rng = random.Random(seed * 1000 + index)
        client = Client(port, actor.token, results=[])
        barrier.wait()
        while time.monotonic() < stop_at:
            step(client, actor, world, rng)
        results.extend(client.results)

    threads = [threading.Thread(target=work, args=(index, actor, step)) for index, (actor, step) in enumerate(actors)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [(kind, status, duration, answered - started) for kind, status, duration, answered in results], (
        time.perf_counter() - started
    )


# The report

THROUGHPUT_WINDOW = 10


def percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def report(results, elapsed, clients):
    by_kind = defaultdict(list)
    statuses = Counter()
    for kind, status, duration, _ in results:
        by_kind[kind].append((status, duration))
        statuses[status] += 1
    durations = sorted(duration for _, _, duration, _ in results)
    print(f"{len(results)} requests in {elapsed:.1f} s from {clients} clients: {len(results) / elapsed:.1f} requests/s")
    # Whether the throughput holds as the run's own requests, matches and ledger grow.
    windows = Counter(
        min(int(answered // THROUGHPUT_WINDOW), int(elapsed // THROUGHPUT_WINDOW)) for *_, answered in results
    )
    print(
        f"requests/s in each {THROUGHPUT_WINDOW} s: "
        + " ".join(f"{windows[index] / THROUGHPUT_WINDOW:.0f}" for index in range(int(elapsed // THROUGHPUT_WINDOW)))
    )
    print(f"latency p50 {percentile(durations, 0.5) * 1000:.1f} ms, p95 {percentile(durations, 0.95) * 1000:.1f} ms")
    print(
        "answers by status: " + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str))
    )
    print(f"{'operation':<16}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}  statuses")
    for kind, rows in sorted(by_kind.items()):
        times = sorted(duration for _, duration in rows)
        counts = Counter(status for status, _ in rows)
        print(
            f"{kind:<16}{len(rows):>7}{percentile(times, 0.5) * 1000:>9.1f}{percentile(times, 0.95) * 1000:>9.1f}  "
            + ", ".join(f"{status}: {count}" for status, count in sorted(counts.items(), key=str))
        )
    return sum(count for status, count in statuses.items() if not isinstance(status, int) or status >= 500)


def main():
    arguments = parse_arguments()
    configure_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.invariants import invariant_violations

    if connection.vendor != "postgresql":
        print(f"warning: running against {connection.vendor}; the figures mean little outside PostgreSQL")
    call_command("migrate", verbosity=0)
    world = seed_world(arguments.scarce_items, arguments.units)
    connection.close()

    port = free_port()
    with tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log", delete=False) as log:
        processes = [start_gunicorn(port, arguments.gunicorn_workers, arguments.gunicorn_threads, log)]
        if os.environ.get("CELERY_BROKER_URL"):
            processes.append(start_celery_worker(log))
        try:
            wait_until_serving(port, world.admin.token)
            results, elapsed = run_clients(port, world, arguments.clients, arguments.seconds, arguments.seed)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=60)
    failures = report(results, elapsed, arguments.clients)
    violations = invariant_violations()
    print(f"invariants: {'all hold' if not violations else f'{len(violations)} broken'}")
    for violation in violations:
        print(f"  {violation}")
    if failures:
        print(f"{failures} answers were 5xx or connection errors; the server's log: {log.name}")
    else:
        os.unlink(log.name)
    return 1 if failures or violations else 0


if __name__ == "__main__":
    sys.exit(main())
