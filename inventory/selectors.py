"""Reads of the inventory: lookups by normalized number. Who acts for which plant is inventory/access.py."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from .models import MaterialDesignation, Part, PartNumber, Plant
from .normalization import normalize_code


def part_find_by_number(text: str) -> Part | None:
    """The catalogue part a number names, as a person would write it (see part_ids_by_numbers)."""
    part_id = part_ids_by_numbers([text]).get(text)
    return Part.objects.get(pk=part_id) if part_id else None


# Many bounded IN lists rather than one per number: a spreadsheet names tens of thousands.
NUMBER_LOOKUP_BATCH = 2000


def part_ids_by_numbers(texts: Iterable[str]) -> dict[str, int]:
    """The part id each written number names, for the texts that name one.

    Tries the whole text first ("6205-2RS"), then the text without its first
    word taken as a brand ("FAG 6205-2RSR"), preferring a part listed under
    that brand; among equals, the oldest part.
    """
    texts = {text for text in texts if normalize_code(text)}
    by_whole = _part_numbers_by_normalized({normalize_code(text) for text in texts})
    found, split = {}, {}
    for text in texts:
        candidates = by_whole.get(normalize_code(text))
        if candidates:
            found[text] = candidates[0][0]
            continue
        brand, _, rest = text.strip().partition(" ")
        if normalize_code(rest):
            split[text] = (normalize_code(brand), normalize_code(rest))
    by_rest = _part_numbers_by_normalized({rest for _brand, rest in split.values()})
    for text, (brand, rest) in split.items():
        candidates = by_rest.get(rest)
        if candidates:
            same_brand = [part_id for part_id, number_brand in candidates if normalize_code(number_brand) == brand]
            found[text] = (same_brand or [candidates[0][0]])[0]
    return found


def _part_numbers_by_normalized(normalized: set[str]) -> dict[str, list[tuple[int, str]]]:
    numbers = defaultdict(list)
    ordered = sorted(normalized)
    for start in range(0, len(ordered), NUMBER_LOOKUP_BATCH):
        rows = PartNumber.objects.filter(normalized__in=ordered[start : start + NUMBER_LOOKUP_BATCH]).order_by(
            "part_id", "id"
        )
        for part_id, brand, number_normalized in rows.values_list("part_id", "brand", "normalized"):
            numbers[number_normalized].append((part_id, brand))
    return numbers


def interchangeable_parts(part_id: int, field: str = "part_id") -> Q:
    """A filter for the part and every part sharing one of its normalized numbers (the cross-references).

    The ids are fetched here, in one query: "the part OR a subquery" kept
    PostgreSQL from using the index on ``field`` and scanned a million stock
    items (half a second) where a list of ids takes an index scan.
    """
    own_numbers = PartNumber.objects.filter(part_id=part_id).values("normalized")
    sharing = PartNumber.objects.filter(normalized__in=own_numbers).values_list("part_id", flat=True)
    return Q(**{f"{field}__in": {part_id, *sharing}})


def material_ids_by_designations(texts: Iterable[str]) -> dict[str, int]:
    """The material each written designation names ("AISI 1045", "c45", "1.0503"), for the texts that name one."""
    texts = {text for text in texts if normalize_code(text)}
    by_normalized = dict(
        MaterialDesignation.objects.filter(normalized__in={normalize_code(text) for text in texts}).values_list(
            "normalized", "material_id"
        )
    )
    return {text: by_normalized[normalize_code(text)] for text in texts if normalize_code(text) in by_normalized}


def plant_states() -> list[str]:
    """The Venezuelan states where plants are, for a filter's choices."""
    return list(Plant.objects.exclude(state="").order_by("state").values_list("state", flat=True).distinct())
