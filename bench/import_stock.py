"""Speed of a whole plant's stock import: 100,000 rows against a 100,000-part catalogue.

Builds (or reuses) a plant and the catalogue, writes a 100,000-row CSV, loads
it through inventory.spreadsheets.import_stock (validation, bulk number
lookup, one transaction, one ledger movement per item) and prints rows per
second; then loads it again with every count changed (the update path).
Run on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/exchange_bench python bench/import_stock.py [ROWS]
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANT_NAME = "Bench plant (import_stock)"
NUMBER_PREFIX = "BENCH-"


def ensure_catalogue(size):
    from inventory.models import Part, PartNumber
    from inventory.normalization import normalize_code

    present = PartNumber.objects.filter(normalized__startswith=normalize_code(NUMBER_PREFIX)).count()
    if present >= size:
        return
    # Catalogue setup only, not what is measured: plain bulk inserts are the quickest way to a large catalogue.
    for start in range(present, size, 5000):
        stop = min(start + 5000, size)
        parts = Part.objects.bulk_create(
            Part(name=f"Bench part {index}", category="bench") for index in range(start, stop)
        )
        PartNumber.objects.bulk_create(
            PartNumber(part=part, brand="BENCH", number=number, normalized=normalize_code(number))
            for part, number in zip(parts, (f"{NUMBER_PREFIX}{index:06d}" for index in range(start, stop)), strict=True)
        )


def stock_file(size, quantity_of) -> io.BytesIO:
    lines = ["numero de parte,cantidad,ubicacion,condicion"]
    lines += [f"{NUMBER_PREFIX}{index:06d},{quantity_of(index)},A-{index % 50},nuevo" for index in range(size)]
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))


def timed_import(plant, upload, label):
    from inventory import access, spreadsheets

    started, cpu_started = time.perf_counter(), time.process_time()
    report = spreadsheets.import_stock(plant=plant, upload=upload, user=access.SYSTEM)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if not report.ok:
        raise SystemExit(f"{label}: {len(report.errors)} errors, first {report.errors[0]}")
    rows = report.counts["rows"]
    # On a shared machine the wall time includes waiting for a core; the process's CPU time shows its own cost.
    print(
        f"{label}: {rows} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s "
        f"(Python CPU {cpu:.1f} s, load average {os.getloadavg()[0]:.1f})  {report.counts}"
    )


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum

    from inventory.models import Plant, StockItem, StockMovement

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    plant, _created = Plant.objects.get_or_create(name=PLANT_NAME)
    StockMovement.objects.filter(stock_item__plant=plant).delete()
    StockItem.objects.filter(plant=plant).delete()
    started = time.perf_counter()
    ensure_catalogue(size)
    print(f"catalogue of {size} parts ready in {time.perf_counter() - started:.1f} s")

    first = stock_file(size, lambda index: 1 + index % 20)
    print(f"file: {len(first.getvalue()) / 1_048_576:.1f} MB")
    timed_import(plant, first, "first load (creates)")
    timed_import(plant, stock_file(size, lambda index: 2 + index % 20), "second load (every count changed)")
    timed_import(plant, stock_file(size, lambda index: 2 + index % 20), "third load (same file again)")

    quantity = StockItem.objects.filter(plant=plant).aggregate(total=Sum("quantity"))["total"]
    ledger = StockMovement.objects.filter(stock_item__plant=plant).aggregate(total=Sum("delta"))["total"]
    print(f"ledger check: quantities {quantity} = movements {ledger}: {quantity == ledger}")


if __name__ == "__main__":
    main()
