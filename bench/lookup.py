"""How fast a written number is looked up on the national dataset (build_national_dataset), brands included.

Prints, for one process on this machine, the median, p95 and mean time of
inventory.selectors.part_ids_by_numbers for one number written the ways
people write it (brand before or after, joined, spaced or dashed, any case;
the number alone; a number the catalogue does not know), with the brands of
the catalogue cached as a running server keeps them, and of
part_find_by_number (the lookup and the part's row). It also times reading
the brands afresh (the cache emptied before each lookup) and checks every
written form found the part it names.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/exchange_bench .venv/bin/python bench/lookup.py
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def written_forms(brand: str, number: str, rng: random.Random) -> list[str]:
    """One number as plant staff write it: with its brand in front or after, joined, spaced or dashed, any case."""
    joiner = rng.choice(["", " ", "-"])
    case = rng.choice([str.lower, str.upper, str.swapcase, str])
    return [
        case(f"{brand}{joiner}{number}"),
        case(f"{number}{joiner}{brand}"),
        case(number.replace("-", " ")),
    ]


def each_timed(function, texts, clock=time.perf_counter) -> list[float]:
    """Seconds of each call of ``function`` on one text, by ``clock`` (wall time, or this process's CPU time)."""
    times = []
    for text in texts:
        start = clock()
        function(text)
        times.append(clock() - start)
    return times


def server_times(connection, function, texts) -> list[float]:
    """Seconds PostgreSQL spends executing the queries of ``function`` on each text (EXPLAIN ANALYZE)."""
    from django.test.utils import CaptureQueriesContext

    times = []
    for text in texts:
        with CaptureQueriesContext(connection) as captured:
            function(text)
        total = 0.0
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0][0]
                total += (plan["Planning Time"] + plan["Execution Time"]) / 1000
        times.append(total)
    return times


def select_one(connection):
    def round_trip(_text):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    return round_trip


def equality(model):
    """A lookup without brands: the written text's normalized form, by equality, as one ORM query."""
    from inventory.normalization import normalize_code

    return lambda text: list(model.objects.filter(normalized=normalize_code(text)).values_list("part_id", "brand"))


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=1000, help="catalogue numbers sampled, three forms each")
    parser.add_argument("--cold", type=int, default=50, help="lookups with the brands read afresh")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def main(options):
    from django.core.cache import cache
    from django.db import connection

    from bench.match_benchmark import summary
    from inventory.models import PartNumber
    from inventory.selectors import KNOWN_BRANDS_CACHE_KEY, known_brands, part_find_by_number, part_ids_by_numbers

    if connection.vendor != "postgresql":
        sys.exit("Run against the PostgreSQL database that build_national_dataset filled (DATABASE_URL).")
    rng = random.Random(options.seed)
    highest = PartNumber.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample_ids = rng.sample(range(1, highest + 1), min(options.numbers, highest))
    rows = list(
        PartNumber.objects.filter(pk__in=sample_ids).exclude(brand="").values_list("part_id", "brand", "number")
    )
    expected = {}
    for part_id, brand, number in rows:
        for text in written_forms(brand, number, rng):
            expected[text] = part_id
    unknown = [f"{rng.choice(['skf', 'FAG ', 'Koyo-'])}ZX-{rng.randint(10**6, 10**7)}" for _ in range(len(rows))]
    texts = list(expected) + unknown
    rng.shuffle(texts)

    print(f"{PartNumber.objects.count():,} part numbers, {len(known_brands())} brands known")
    single = lambda text: part_ids_by_numbers([text])  # noqa: E731
    each_timed(single, texts[:200])  # warm the connection and PostgreSQL's buffers
    print(summary("written number, brands cached", each_timed(single, texts)))
    # On a loaded machine the wall time is mostly waiting for a core: these split it.
    print(summary("  of which this process's CPU", each_timed(single, texts, time.process_time)))
    print(summary("  of which PostgreSQL planning and executing", server_times(connection, single, texts[:300])))
    print(summary("  a round trip alone (SELECT 1), for scale", each_timed(select_one(connection), texts)))
    print(summary("  one ORM read of the number as typed, for scale", each_timed(equality(PartNumber), texts)))
    print(summary("written number and its part's row", each_timed(part_find_by_number, texts)))

    def cold(text):
        cache.delete(KNOWN_BRANDS_CACHE_KEY)
        part_ids_by_numbers([text])

    print(summary("written number, brands read afresh", each_timed(cold, texts[: options.cold])))

    found = part_ids_by_numbers(texts)
    wrong = [text for text, part_id in expected.items() if part_id != found.get(text)]
    # A number shared by several parts names the oldest, or the one listed under the brand written.
    shared = [text for text in wrong if text in found]
    print(
        f"checked {len(expected)} written forms: {len(expected) - len(wrong)} found their own part, "
        f"{len(shared)} a part sharing the number, {len(wrong) - len(shared)} nothing; "
        f"{sum(text in found for text in unknown)} of {len(unknown)} unknown numbers found a part"
    )


if __name__ == "__main__":
    parsed = arguments()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    main(parsed)
