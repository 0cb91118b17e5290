"""Reference data shipped with the project: material equivalences, the process
taxonomy with Spanish labels, real plants and part-number cross-references.

Loading is idempotent: what already exists (by name or normalized number) is
left as it is. The loaders are the operator's, run by commands: they write as
access.SYSTEM.
"""

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from inventory import access, services
from inventory.models import Material, MaterialDesignation, PartNumber, Plant
from inventory.normalization import normalize_code

FOLDER = Path(__file__).resolve().parent

# Typical import prices (USD) by cross-reference family, for the demo's savings figures.
IMPORT_PRICE_BY_FAMILY = {"bearing": Decimal("45.00"), "seal": Decimal("8.00"), "vbelt": Decimal("20.00")}
CATEGORY_BY_FAMILY = {"bearing": "bearing", "seal": "seal", "vbelt": "belt"}


def read_rows(name):
    with open(FOLDER / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def process_labels_es() -> dict[str, str]:
    return {row["code"]: row["label_es"] for row in read_rows("processes.csv")}


@transaction.atomic
def load_materials() -> int:
    created = 0
    for row in read_rows("materials.csv"):
        designations = [item.strip() for item in row["designations"].split(";") if item.strip()]
        material = Material.objects.filter(name=row["name"]).first()
        if material is None:
            known = MaterialDesignation.objects.filter(
                normalized__in=[normalize_code(item) for item in designations]
            ).first()
            if known is not None:
                continue
            services.material_create(
                name=row["name"], family=row["family"], designations=designations, note=row["note"], user=access.SYSTEM
            )
            created += 1
    return created


@transaction.atomic
def load_plants() -> int:
    created = 0
    for row in read_rows("plants.csv"):
        if Plant.objects.filter(name=row["name"]).exists():
            continue
        services.plant_create(
            name=row["name"],
            kind=row["kind"],
            ownership=row["ownership"],
            sector=row["sector"],
            state=row["state"],
            city=row["city"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            user=access.SYSTEM,
        )
        created += 1
    return created


@transaction.atomic
def load_cross_references() -> int:
    """One catalogue part per cross-reference group, with every brand's number."""
    groups = defaultdict(list)
    for row in read_rows("crossref.csv"):
        groups[row["group"]].append(row)
    created = 0
    for group, rows in groups.items():
        normalized = [normalize_code(row["number"]) for row in rows]
        if PartNumber.objects.filter(normalized__in=normalized).exists():
            continue
        family = group.split("-", 1)[0]
        services.part_create(
            name=f"{rows[0]['number']} — {rows[0]['description']}"[:200],
            category=CATEGORY_BY_FAMILY.get(family, family),
            description=rows[0]["description"],
            import_price_usd=IMPORT_PRICE_BY_FAMILY.get(family),
            numbers=[services.NumberSpec(row["brand"], row["number"]) for row in rows],
            user=access.SYSTEM,
        )
        created += 1
    return created
