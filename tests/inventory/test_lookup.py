"""A number with its brand, however written (SPEC "Vocabulary"): the catalogue's one lookup."""

import csv
from pathlib import Path

import pytest

from inventory.reference import load_cross_references
from inventory.selectors import part_find_by_number, part_ids_by_numbers
from tests.factories import PartFactory

pytestmark = pytest.mark.django_db

CROSSREF = Path(__file__).resolve().parents[2] / "inventory" / "reference" / "crossref.csv"


def crossref_rows() -> list[dict]:
    with open(CROSSREF, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def written_forms(brand: str, number: str) -> set[str]:
    """Every way a person writes a number with its brand: before or after, joined, spaced or dashed, any case."""
    forms = set()
    for joiner in ("", " ", "-", "  "):
        for text in (f"{brand}{joiner}{number}", f"{number}{joiner}{brand}"):
            forms.update({text, text.lower(), text.upper(), text.swapcase()})
    forms.update({number, number.lower(), number.replace("-", " "), number.replace("-", "")})
    return forms


def test_every_written_form_of_every_cross_reference_finds_its_part():
    load_cross_references()
    rows = crossref_rows()
    part_of_group = {}
    for row in rows:
        part_of_group.setdefault(row["group"], part_find_by_number(row["number"]).pk)
    expected = {
        text: part_of_group[row["group"]] for row in rows for text in written_forms(row["brand"], row["number"])
    }

    found = part_ids_by_numbers(expected)

    assert len(expected) > 20 * len(rows)
    assert {text: found.get(text) for text in expected} == expected
    assert len(set(part_of_group.values())) == len(part_of_group)


@pytest.mark.parametrize("written", ["fag6205-2rsr", "FAG-6205 2RSR", "NSK6205DDU", "6205-2RSR FAG", "6205DDU-nsk"])
def test_the_issue_s_examples_find_the_sealed_bearing(written):
    load_cross_references()

    assert part_find_by_number(written) == part_find_by_number("6205-2RS")


@pytest.mark.parametrize("written", ["FAG 6205-2Z", "fag6205-2z", "6205-2Z FAG", "NSK 6205-2Z", "SKF6205ZZ"])
def test_a_brand_never_turns_a_shielded_bearing_into_a_sealed_one(written):
    load_cross_references()
    sealed, shielded = part_find_by_number("6205-2RS"), part_find_by_number("6205-2Z")

    assert sealed != shielded
    assert part_find_by_number(written) == shielded


@pytest.mark.parametrize("written", ["FAG 6205", "FAG 6205-2", "FAG6205-2RSRX", "FAG", "SKF NSK", "KOYO6205-2RS"])
def test_only_whole_numbers_match_never_a_part_of_one(written):
    load_cross_references()

    assert part_find_by_number(written) is None


def test_the_brand_written_picks_that_brand_s_part_among_parts_sharing_a_number():
    skf = PartFactory(numbers=[("SKF", "1234-A")])
    fag = PartFactory(numbers=[("FAG", "1234 A")])

    assert part_find_by_number("1234A") == skf
    assert part_find_by_number("fag1234-a") == fag
    assert part_find_by_number("1234-A FAG") == fag
    assert part_find_by_number("SKF 1234A") == skf


def test_an_unknown_first_word_is_still_set_aside():
    part = PartFactory(numbers=[("SKF", "6205-2RSH")])

    assert part_find_by_number("Koyo 6205-2RSH") == part
    assert part_find_by_number("Rodamiento 6205-2RSH") == part


def test_a_brand_is_known_as_soon_as_a_number_carries_it():
    PartFactory(numbers=[("SKF", "88-B")])
    assert part_find_by_number("acme88-b") is None

    part = PartFactory(numbers=[("ACME", "77-C")])

    assert part_find_by_number("acme88-b") is not None
    assert part_find_by_number("77CACME") == part


def test_a_brand_no_number_carries_any_more_is_forgotten():
    PartFactory(numbers=[("SKF", "88-B")])
    gone = PartFactory(numbers=[("ACME", "77-C")])
    assert part_find_by_number("acme88-b") is not None

    gone.numbers.all().delete()

    assert part_find_by_number("acme88-b") is None
