import csv
from pathlib import Path

import pytest

from inventory.access import SYSTEM
from inventory.normalization import normalize_code
from inventory.selectors import part_find_by_number
from inventory.services import NumberSpec, part_create

CROSSREF = Path(__file__).resolve().parents[2] / "inventory" / "reference" / "crossref.csv"


@pytest.mark.parametrize(
    "written, normalized",
    [
        ("6205-2RS", "62052RS"),
        ("6205 2rs", "62052RS"),
        ("62052RS", "62052RS"),
        ("1.0503", "10503"),
        ("EN-GJL-200", "ENGJL200"),
        ("35/52/7", "35527"),
        ("  6308.ll u ", "6308LLU"),
    ],
)
def test_normalization_removes_separators_and_case(written, normalized):
    assert normalize_code(written) == normalized


def test_a_number_written_any_way_finds_the_part(db):
    part = part_create(user=SYSTEM, name="Bearing 6205 sealed", numbers=[NumberSpec("generic", "6205-2RS")])

    assert part_find_by_number("6205 2rs") == part
    assert part_find_by_number("62052RS") == part
    assert part_find_by_number("6205-2RS") == part


def test_a_number_with_its_brand_in_front_finds_the_part(db):
    part = part_create(
        user=SYSTEM, name="Bearing", numbers=[NumberSpec("FAG", "6205-2RSR"), NumberSpec("SKF", "6205-2RSH")]
    )

    assert part_find_by_number("FAG 6205 2RSR") == part
    assert part_find_by_number("skf 6205-2rsh") == part
    assert part_find_by_number("NTN 9999") is None
    assert part_find_by_number("") is None


def test_every_number_of_a_cross_reference_group_finds_one_part(db):
    from inventory.reference import load_cross_references

    load_cross_references()
    with open(CROSSREF, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    groups = {}
    for row in rows:
        found = part_find_by_number(f"{row['brand']} {row['number']}")
        assert found is not None, row
        groups.setdefault(row["group"], set()).add(found.pk)
    assert all(len(part_ids) == 1 for part_ids in groups.values())
    assert len({next(iter(ids)) for ids in groups.values()}) == len(groups)
