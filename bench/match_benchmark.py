"""How fast the matching engine runs on the national dataset (build_national_dataset).

Prints, for one worker process on this machine:
- the median and p95 time of exchange.engine.part_request_match over a
  sample of open requests, on the first run (creates proposals) and on a
  re-run (refreshes them);
- the same sample's candidates fetched by one hand-written SQL query through
  connection.cursor(): the lower bound the engine is compared with, read
  once before the engine runs (cold cache) and once after (warm, as the
  engine's runs find them), and the engine's own reads (exchange.engine.reads);
- reverse matching of a new stock item: the lookup of the open requests it
  could serve, and the whole task (lookup plus one engine run per request);
- the throughput of a full re-match (requests per second).

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/exchange_bench .venv/bin/python bench/match_benchmark.py
The first run after build_national_dataset matches every open request once
(the periodic sweep, about five minutes), as a running exchange would have;
each run then deletes and re-creates the proposals of the requests it measures.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CANDIDATES_SQL = """
WITH stock AS (
    SELECT 'stock' AS source, s.id, s.plant_id, s.part_id, s.quantity - s.reserved AS available, s.condition,
           NULL AS process, NULL::smallint AS best_it_grade, NULL::integer AS lead_time_days
    FROM inventory_stockitem s
    WHERE s.exchangeable AND s.quantity > s.reserved
      AND s.part_id IN (
          SELECT %(part)s
          UNION
          SELECT shared.part_id FROM inventory_partnumber own
          JOIN inventory_partnumber shared ON shared.normalized = own.normalized
          WHERE own.part_id = %(part)s)
), capable AS (
    SELECT c.id, c.plant_id, c.process, c.best_it_grade, c.lead_time_days
    FROM inventory_capability c
    WHERE c.process = ANY(%(processes)s)
      AND (%(diameter)s::numeric IS NULL OR c.max_diameter_mm IS NULL OR c.max_diameter_mm >= %(diameter)s)
      AND (%(length)s::numeric IS NULL OR c.max_length_mm IS NULL OR c.max_length_mm >= %(length)s)
      AND (%(weight)s::numeric IS NULL OR c.max_weight_kg IS NULL OR c.max_weight_kg >= %(weight)s)
      AND (%(material)s::bigint IS NULL OR c.process = ANY(%(material_independent)s) OR EXISTS (
          SELECT 1 FROM inventory_capability_materials m
          WHERE m.capability_id = c.id AND m.material_id = %(material)s))
)
SELECT candidates.*,
       p.latitude, p.longitude
FROM (
    SELECT * FROM stock
    UNION ALL
    SELECT 'fabrication', c.id, c.plant_id, NULL, NULL, NULL, c.process, c.best_it_grade, c.lead_time_days
    FROM capable c
    WHERE c.plant_id IN (
        SELECT plant_id FROM capable GROUP BY plant_id HAVING count(DISTINCT process) = %(process_count)s)
) candidates
JOIN inventory_plant p ON p.id = candidates.plant_id
"""


def milliseconds(seconds):
    return f"{seconds * 1000:.2f} ms"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def fetch_candidates_by_hand(part_request):
    from django.db import connection

    from inventory.processes import MATERIAL_INDEPENDENT_PROCESSES

    with connection.cursor() as cursor:
        cursor.execute(
            CANDIDATES_SQL,
            {
                "part": part_request.part_id,
                "processes": list(part_request.processes),
                "process_count": len(set(part_request.processes)),
                "diameter": part_request.diameter_mm,
                "length": part_request.length_mm,
                "weight": part_request.weight_kg,
                "material": part_request.material_id,
                "material_independent": sorted(MATERIAL_INDEPENDENT_PROCESSES),
            },
        )
        return cursor.fetchall()


def measure_single_requests(request_ids):
    from exchange import engine

    return [timed(engine.part_request_match, part_request_id=request_id)[0] for request_id in request_ids]


def measure_retrieval(request_ids):
    """The engine's reads of candidates alone: no lock, no ranking, no writes."""
    from exchange.engine import reads

    def retrieve(spec):
        stock = reads.stock_candidates(spec.part_id)
        capabilities = reads.capability_candidates(spec)
        reads.source_records({c.plant_id for c in stock} | {c.plant_id for c in capabilities})

    specs = reads.open_request_specs(request_ids)
    return [timed(retrieve, specs[request_id])[0] for request_id in request_ids]


def measure_hand_written_sql(request_ids):
    from exchange.models import PartRequest

    requests = PartRequest.objects.in_bulk(request_ids)
    timings, rows = [], 0
    for request_id in request_ids:
        seconds, candidates = timed(fetch_candidates_by_hand, requests[request_id])
        timings.append(seconds)
        rows += len(candidates)
    return timings, rows / len(request_ids)


def measure_reverse_matching(rng, samples):
    """New stock items of parts that open requests ask for: the lookup, then the task's whole work."""
    from exchange import tasks
    from exchange.engine import reads, run
    from exchange.models import PartRequest
    from inventory import access
    from inventory import services as inventory_services
    from inventory.models import Part, Plant

    part_ids = list(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN, part__isnull=False)
        .order_by("part_id")
        .values_list("part_id", flat=True)
        .distinct()
    )
    plants = list(Plant.objects.all())
    lookups, totals, served = [], [], []
    for part in Part.objects.filter(pk__in=rng.sample(part_ids, samples)):
        stock_item = inventory_services.stock_item_create(
            plant=rng.choice(plants),
            part=part,
            quantity=3,
            location=f"Benchmark {time.time_ns()}",
            user=access.SYSTEM,
        )
        lookup_seconds, request_ids = timed(
            lambda stock_item=stock_item: list(
                reads.open_requests_for_stock_item(stock_item).values_list("id", flat=True)[: run.REVERSE_MATCH_LIMIT]
            )
        )
        total_seconds, _ = timed(tasks.rematch_for_stock_item, stock_item.pk)
        lookups.append(lookup_seconds)
        totals.append(total_seconds)
        served.append(len(request_ids))
    return lookups, totals, served


def measure_full_rematch(request_ids):
    """Requests per second of the periodic sweep's path: batches of MATCH_BATCH per transaction."""
    from exchange import engine

    started = time.perf_counter()
    engine.match_in_batches(request_ids)
    return len(request_ids) / (time.perf_counter() - started)


def explain_candidate_queries(request_id):
    """EXPLAIN (ANALYZE, BUFFERS) of the reads the engine sends for one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exchange.engine import reads

    with CaptureQueriesContext(connection) as captured:
        spec = reads.open_request_specs([request_id]).get(request_id)
        if spec is None:
            sys.exit(f"Request #{request_id} is not open: the engine reads only open requests.")
        stock = reads.stock_candidates(spec.part_id)
        capabilities = reads.capability_candidates(spec)
        reads.source_records({c.plant_id for c in stock} | {c.plant_id for c in capabilities})
    print(
        f"request #{request_id}: part {spec.part_id}, processes {list(spec.processes)}, "
        f"{len(stock)} stock and {len(capabilities)} capability candidates"
    )
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n" + query["sql"] + "\n" + "\n".join(row[0] for row in cursor.fetchall()))


def summary(label, timings):
    return (
        f"{label}: median {milliseconds(statistics.median(timings))}, "
        f"p95 {milliseconds(percentile(timings, 0.95))}, mean {milliseconds(statistics.fmean(timings))}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="sample of single-request matches")
    parser.add_argument("--rematch", type=int, default=2000, help="requests in the throughput run")
    parser.add_argument("--stock-items", type=int, default=50, help="new stock items reverse-matched")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--explain", type=int, metavar="REQUEST_ID", help="only explain the reads for this open request"
    )
    arguments = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from django.db import connection

    from config.celery import app
    from exchange import tasks
    from exchange.engine import run
    from exchange.models import Match, PartRequest
    from inventory.models import Capability, Part, PartNumber, Plant, StockItem

    if connection.vendor != "postgresql":
        sys.exit("Run it on the PostgreSQL database that build_national_dataset filled (DATABASE_URL).")
    if arguments.explain:
        explain_candidate_queries(arguments.explain)
        return
    # The tasks that services enqueue would run in-process and blur the figures: each measure calls its own.
    # app.conf answers from the CELERY_ namespace that config/celery.py loads.
    app.conf.update(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="memory://")
    rng = random.Random(arguments.seed)
    open_ids = list(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN).order_by("id").values_list("id", flat=True)
    )
    sample = rng.sample(open_ids, arguments.requests)
    rematch_ids = rng.sample(sorted(set(open_ids) - set(sample)), arguments.rematch)
    if not Match.objects.exists():
        # A running exchange holds the proposals of every open request; the first run after
        # build_national_dataset makes them with the periodic sweep, and says how fast.
        seconds, _ = timed(tasks.rematch_open_requests)
        print(
            f"first sweep of every open request (rematch_open_requests), one process: {len(open_ids):,} requests "
            f"in {seconds:.0f} s, {len(open_ids) / seconds:.0f} requests/s, "
            f"{Match.objects.count() / len(open_ids):.1f} proposals per request"
        )
    # The measured requests start unmatched; every other open request keeps its proposals.
    measured = sample + rematch_ids
    Match.objects.filter(request_id__in=measured).delete()
    PartRequest.objects.filter(pk__in=measured).update(matched_at=None)
    with connection.cursor() as cursor:
        for table in ("exchange_matchstatuschange", "exchange_match", "exchange_partrequest"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    # A new session plans with these statistics, foreign-key checks included (docs/performance.md).
    connection.close()

    print(
        f"PostgreSQL {connection.pg_version // 10000}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        "dataset: "
        f"{Plant.objects.count():,} plants, {Part.objects.count():,} parts, {PartNumber.objects.count():,} numbers, "
        f"{StockItem.objects.count():,} stock items, {Capability.objects.count():,} capabilities, "
        f"{len(open_ids):,} open requests"
    )
    # The hand-written query runs first, on pages not yet in memory, and again at the end: the ratio
    # compares the engine with the bound on the same warm cache.
    cold_by_hand, _ = measure_hand_written_sql(sample)
    print(summary("hand-written SQL fetching the candidates, first read (cold cache)", cold_by_hand))
    first_run = measure_single_requests(sample)
    print(summary(f"part_request_match, first run over {len(sample)} requests", first_run))
    proposals = Match.objects.filter(request_id__in=sample).count()
    print(f"  proposals created: {proposals / len(sample):.1f} per request")
    rerun = measure_single_requests(sample)
    print(summary("part_request_match, re-run (refreshes proposals)", rerun))
    by_hand, rows = measure_hand_written_sql(sample)
    print(
        summary("hand-written SQL fetching the same candidates (the bound)", by_hand) + f", {rows:.0f} rows per request"
    )
    retrieval = measure_retrieval(sample)
    print(summary("the engine's candidate retrieval alone (reads)", retrieval))
    bound = statistics.median(by_hand)
    print(
        f"  ratio to the SQL bound (medians): whole engine run, first {statistics.median(first_run) / bound:.1f}x, "
        f"re-run {statistics.median(rerun) / bound:.1f}x; retrieval alone {statistics.median(retrieval) / bound:.1f}x"
    )
    lookups, totals, served = measure_reverse_matching(rng, arguments.stock_items)
    print(summary(f"reverse match of a new stock item, lookup ({len(lookups)} items)", lookups))
    print(
        summary("reverse match of a new stock item, whole task", totals)
        + f", {statistics.fmean(served):.1f} open requests re-matched per item (max {max(served)})"
    )
    first_pass = measure_full_rematch(rematch_ids)
    second_pass = measure_full_rematch(rematch_ids)
    print(
        f"full re-match (the sweep, batches of {run.MATCH_BATCH}), one process, over {len(rematch_ids):,} requests: "
        f"{first_pass:.0f} requests/s creating proposals, {second_pass:.0f} requests/s refreshing them"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
