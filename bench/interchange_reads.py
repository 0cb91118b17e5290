"""What approved interchanges cost the engine's stock read, on the national dataset (build_national_dataset).

Prints, for a sample of the open requests' parts, the median and p95 time of
exchange.engine.reads.stock_candidates_for_parts (one part per call, as a
request's run reads it) and of the reverse match's lookup
(inventory.selectors.part_ids_served_by_stock_of), first with the dataset as
built, then with approved interchanges added (one part in ten gets a
substitute, half of them two way), and the candidates per part in each case.
The interchanges are rolled back at the end.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/exchange_bench .venv/bin/python bench/interchange_reads.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(function, arguments) -> tuple[list[float], list]:
    times, answers = [], []
    for argument in arguments:
        start = time.perf_counter()
        answers.append(function(argument))
        times.append((time.perf_counter() - start) * 1000)
    return times, answers


def summary(times) -> str:
    ordered = sorted(times)
    return f"median {statistics.median(ordered):.2f} ms, p95 {ordered[int(len(ordered) * 0.95)]:.2f} ms"


def measure(label, part_ids, stock_item_part_ids):
    from exchange.engine import reads
    from inventory.selectors import part_ids_served_by_stock_of

    reads_times, candidates = timed(lambda part_id: reads.stock_candidates_for_parts([part_id])[part_id], part_ids)
    through = sum(1 for found in candidates for candidate in found if candidate.interchange_id is not None)
    print(
        f"{label}: stock candidates of one part: {summary(reads_times)}; "
        f"{sum(map(len, candidates)) / len(candidates):.1f} per part, {through / len(candidates):.2f} through an interchange"
    )
    reverse_times, served = timed(part_ids_served_by_stock_of, stock_item_part_ids)
    print(
        f"{label}: reverse lookup of a stock item's part: {summary(reverse_times)}; "
        f"{sum(map(len, served)) / len(served):.1f} parts served"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=17)
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.db import connection, transaction

    from exchange.models import PartRequest
    from inventory.models import Interchange, Part, StockItem

    randomness = random.Random(arguments.seed)
    part_ids = list(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN, part__isnull=False).values_list("part_id", flat=True)
    )
    sample = randomness.sample(part_ids, min(arguments.sample, len(part_ids)))
    stock_part_ids = [row[0] for row in StockItem.objects.order_by("?").values_list("part_id")[: arguments.sample]]
    # One warm-up pass, so that both measures read the same cached pages.
    measure("warm-up", sample[:50], stock_part_ids[:50])
    measure("no interchanges", sample, stock_part_ids)
    with transaction.atomic():
        every_part = list(Part.objects.order_by("pk").values_list("pk", flat=True))
        pairs = [(every_part[index], every_part[index + 1]) for index in range(0, len(every_part) - 1, 10)]
        Interchange.objects.bulk_create(
            Interchange(
                part_id=part_id,
                substitute_id=substitute_id,
                two_way=index % 2 == 0,
                note="bench",
                status=Interchange.Status.APPROVED,
            )
            for index, (part_id, substitute_id) in enumerate(pairs)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Interchange._meta.db_table}")
        measure(f"{len(pairs):,} approved interchanges", sample, stock_part_ids)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
