"""How long each read takes on the national dataset: every API list, every admin changelist, the dashboard, the pages.

Prints, for each path: its p50 over ``--rounds`` rounds of ``--calls`` calls, that p50 as a multiple of the
floor, and the queries one call costs. The floor is a trivial DRF view with the project's token
authentication and throttles, measured in rounds taken in turn with each read's, in the same process, so
that the figures say what the reads add to the framework's own cost on this machine at this moment.

The reads go through Django's WSGI handler in this process (django.test.Client, DEBUG off), as
gunicorn's worker would call it: no network, no second process to share the two cores with. The
callers are made once and kept: an administrator, a member of the plant with the most proposals (as
requester) and a member of the machine shop with the most (as source), each with a knox token.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/exchange_bench .venv/bin/python bench/reads.py
    # the same at a tenth of the size, to see that the figures do not grow with the tables:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/exchange_bench_small .venv/bin/python bench/reads.py

With ``--over-http`` the reads are timed through one gunicorn worker on loopback (the production
configuration file, bench.reads_wsgi), as the issue timed its first figures: the floor then holds
gunicorn's own cost too. Queries are counted in process either way.

Both databases come from build_national_dataset (``--scale 0.1`` for the second) and its first sweep
(bench/match_benchmark.py makes it). Run it with the figures of the machine in mind: on a busy machine
every p50 grows with the load, the floor's too, and the ratios are what compare.
"""

import argparse
import atexit
import http.client
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_SEARCHES = ("bearing", "148930", "xq-no-such-part")
USERNAMES = {"admin": "bench-admin", "member": "bench-member", "shop": "bench-shop"}


def configure():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("THROTTLE_USER", "1000000/minute")
    import django

    django.setup()
    from django.conf import settings
    from django.urls import set_urlconf

    settings.ROOT_URLCONF = "bench.reads_urls"
    set_urlconf(None)


def callers():
    """The three callers and their tokens, made on the first run."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from knox.models import AuthToken

    from exchange.models import Match
    from inventory.models import Membership

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username=USERNAMES["admin"], defaults={"is_staff": True, "is_superuser": True}
    )
    busiest_requester = (
        Match.objects.values("request__plant").annotate(count=Count("id")).order_by("-count")[:1].get()
    )["request__plant"]
    busiest_source = (Match.objects.values("source_plant").annotate(count=Count("id")).order_by("-count")[:1].get())[
        "source_plant"
    ]
    users = {"admin": admin}
    for role, plant_id in (("member", busiest_requester), ("shop", busiest_source)):
        user, _ = User.objects.get_or_create(username=USERNAMES[role])
        Membership.objects.get_or_create(user=user, plant_id=plant_id, defaults={"role": Membership.Role.MANAGER})
        users[role] = user
    # One token each: knox's authentication reads every token of the caller, so earlier runs' would weigh.
    AuthToken.objects.filter(user__in=users.values()).delete()
    tokens = {role: AuthToken.objects.create(user)[1] for role, user in users.items()}
    return users, tokens


def reads(users):
    """(label, who, path): who is a role of callers(); API paths use the token, the others the session."""
    from django.contrib import admin
    from django.urls import reverse

    from exchange.models import Match, PartRequest

    member_plant = users["member"].memberships.get().plant_id
    request_id = PartRequest.objects.filter(plant_id=member_plant).order_by("-id").values_list("id", flat=True)[0]
    match_id = Match.objects.filter(request_id=request_id).order_by("-id").values_list("id", flat=True).first()
    rows = [("floor", "member", "/bench-floor/")]
    api = [
        "/api/plants/",
        "/api/memberships/",
        "/api/materials/",
        "/api/processes/",
        "/api/parts/",
        *(f"/api/parts/?search={text}" for text in PAGE_SEARCHES),
        "/api/parts/?number=6205",
        "/api/stock/",
        "/api/capabilities/",
        "/api/requests/",
        f"/api/requests/{request_id}/matches/",
        "/api/matches/",
        "/api/matches/?status=proposed",
        "/api/notifications/",
        "/api/stats/",
    ]
    for path in api:
        rows.append((f"api {path}", "member", path))
    rows += [
        ("api /api/matches/ (admin)", "admin", "/api/matches/"),
        ("api /api/matches/ (shop)", "shop", "/api/matches/"),
        ("api /api/stock/ (admin)", "admin", "/api/stock/"),
    ]
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        rows.append((f"admin {model._meta.label}", "admin", url))
    rows.append(
        ("admin exchange.Match ?status=all", "admin", reverse("admin:exchange_match_changelist") + "?status=all")
    )
    rows.append(("admin dashboard", "admin", reverse("admin:exchange_dashboard")))
    pages = ["/", "/plant/", "/requests/", f"/requests/{request_id}/", "/stock/", "/notifications/", "/board/"]
    if match_id:
        pages.append(f"/matches/{match_id}/")
    rows += [(f"page {path}", "member", path) for path in pages]
    rows += [("page / (shop)", "shop", "/"), ("page /board/?fits=on (shop)", "shop", "/board/?fits=on")]
    rows += [("page /capabilities/ (shop)", "shop", "/capabilities/")]
    return rows


def clients(users, tokens):
    from django.test import Client

    by_role = {}
    for role, user in users.items():
        session = Client(secure=True)
        session.force_login(user)
        by_role[role] = (Client(secure=True, headers={"authorization": f"Token {tokens[role]}"}), session)
    return by_role


class OverHttp:
    """``get(path)`` through gunicorn on loopback on one kept-alive connection, as an API client or a browser
    calls: the floor then holds gunicorn's own cost too, as the issue's first figures did."""

    def __init__(self, port, headers):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = headers

    def get(self, path):
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        response.read()
        return types.SimpleNamespace(status_code=response.status)


def serve_over_http(by_role, tokens):
    """One gunicorn worker with the production configuration file, serving bench.reads_wsgi; the callers as
    HTTP clients of it, with their tokens and their sessions' cookies."""
    from django.conf import settings

    from bench.load import free_port, start_gunicorn, wait_until_serving

    port = free_port()
    server = start_gunicorn(port, 1, 1, subprocess.DEVNULL, application="bench.reads_wsgi")
    atexit.register(server.terminate)
    over_http = {
        role: (
            OverHttp(port, {"Authorization": f"Token {tokens[role]}"}),
            OverHttp(
                port,
                {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.cookies[settings.SESSION_COOKIE_NAME].value}"},
            ),
        )
        for role, (_api, session) in by_role.items()
    }
    wait_until_serving(port, tokens["member"])
    return over_http


def measure(client, path, calls):
    timings = []
    for _ in range(calls):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
    return timings


def query_count(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


# The reads that grew with the data before (docs/query-plans.md shows their plans).
EXPLAINED = (
    "admin exchange.Match",
    "admin dashboard",
    "api /api/stats/",
    "api /api/parts/?search=bearing",
    "api /api/parts/?search=148930",
    "api /api/parts/?search=xq-no-such-part",
    "api /api/matches/",
    "api /api/matches/?status=proposed",
    "page /board/?fits=on (shop)",
    "page /capabilities/ (shop)",
)


def explain_slowest_queries(client, label, path, count=2):
    """The plans (EXPLAIN ANALYZE) of the call's slowest queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    slowest = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:count]
    for query in slowest:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {query['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n### {label}: {float(query['time']) * 1000:.1f} ms\n\n```sql\n{query['sql']}\n```\n\n```\n{plan}\n```")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=10, help="calls of each path per round")
    parser.add_argument(
        "--only", default="", help="measure the paths whose label contains one of these texts, comma-separated"
    )
    parser.add_argument("--skip", default="", help="leave out the paths whose label contains one of these texts")
    parser.add_argument("--explain", action="store_true", help="print the plans of the reads that grew with the data")
    parser.add_argument(
        "--over-http",
        action="store_true",
        help="time the reads through one gunicorn worker on loopback, not in process",
    )
    arguments = parser.parse_args()
    configure()
    from django.db import connection

    from exchange.models import Match
    from inventory.models import Part, Plant

    if connection.vendor != "postgresql":
        sys.exit("Run it on a PostgreSQL database that build_national_dataset filled (DATABASE_URL).")
    users, tokens = callers()
    by_role = clients(users, tokens)
    wanted = arguments.only.split(",")
    skipped = [text for text in arguments.skip.split(",") if text]
    rows = [
        row
        for row in reads(users)
        if row[0] == "floor" or (any(text in row[0] for text in wanted) and not any(text in row[0] for text in skipped))
    ]
    print(
        f"{Plant.objects.count():,} plants, {Part.objects.count():,} parts, {Match.objects.count():,} matches "
        f"({Match.objects.filter(status=Match.Status.PROPOSED).count():,} proposed); "
        f"{arguments.rounds} rounds of {arguments.calls} calls per path"
    )
    if arguments.explain:
        for label, who, path in rows:
            if label in EXPLAINED:
                explain_slowest_queries(by_role[who][0 if path.startswith("/api/") else 1], label, path)
        return
    # Queries are counted in process (the same code serves both ways); the timings come from `timed`.
    timed = serve_over_http(by_role, tokens) if arguments.over_http else by_role
    floor = None
    print(f"{'read':58} {'p50 ms':>8} {'× floor':>8} {'queries':>8}")
    for label, who, path in rows:
        kind = 0 if path.startswith(("/api/", "/bench-floor/")) else 1
        client, in_process = timed[who][kind], by_role[who][kind]
        measure(client, path, 1)
        measure(in_process, path, 1)  # its caches warm too, so that the queries counted are a warm call's
        queries = query_count(in_process, path)
        # Rounds of the floor and the read in turn, so that both see the same moments of a busy machine.
        timings, floor_timings = [], []
        for _ in range(arguments.rounds):
            floor_timings += measure(timed["member"][0], "/bench-floor/", arguments.calls)
            timings += measure(client, path, arguments.calls)
        floor = statistics.median(floor_timings)
        p50 = statistics.median(timings)
        print(f"{label:58} {p50:8.1f} {p50 / floor:8.1f} {queries:8d}", flush=True)


if __name__ == "__main__":
    main()
