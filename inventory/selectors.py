"""Reads of the inventory: lookups by normalized number. Who acts for which plant is inventory/access.py."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from .models import Material, MaterialDesignation, Part, PartNumber, Plant, StockItem, StockMovement
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


# Found among this many parts, a text is common: the newest parts already hold the page, in id order.
COMMON_TEXT_PARTS = 200


def parts_matching_text(text: str) -> Q:
    """Parts whose name or description contains ``text``, or with a number starting with it, normalized.

    On PostgreSQL the trigram indexes (migration 0007) find a rare text at once, as a union of three
    indexed lookups; a text found in hundreds of parts costs them far more than reading the parts
    newest first, which the page stops after a few rows. One bounded probe chooses between the two.
    """
    in_name, in_description = Q(name__icontains=text), Q(description__icontains=text)
    normalized = normalize_code(text)
    by_number = PartNumber.objects.filter(normalized__startswith=normalized).values("part_id") if normalized else None
    probe = Part.objects.filter(in_name | in_description).order_by()[:COMMON_TEXT_PARTS]
    if probe.count() == COMMON_TEXT_PARTS:
        in_text = in_name | in_description
        return in_text if by_number is None else in_text | Q(pk__in=by_number)
    found = Part.objects.filter(in_name).values("pk").union(Part.objects.filter(in_description).values("pk"))
    return Q(pk__in=found if by_number is None else found.union(by_number))


def part_with_numbers_by_number(text: str) -> Part | None:
    """The part a written number names, with all its brands' numbers loaded; None if unknown. Two queries."""
    part_id = part_ids_by_numbers([text]).get(text)
    if part_id is None:
        return None
    return Part.objects.prefetch_related("numbers").filter(pk=part_id).first()


def material_find_by_designation(text: str) -> Material | None:
    """The material grade any of its designations names ("AISI 1045", "c45", "1.0503"), compared normalized."""
    material_id = material_ids_by_designations([text]).get(text)
    return Material.objects.filter(pk=material_id).first() if material_id else None


# The store's pages (web/views/stock.py)

STOCK_PAGE_SIZE = 25
LEDGER_PAGE_SIZE = 50
LABEL_SHEET_LIMIT = 96


def stock_items_of_plant(*, plant: Plant, q: str = "", condition: str = "", ids: Iterable[int] = ()):
    """The plant's stock items, by part name then location, with each part's numbers prefetched.

    ``q`` is a number in any brand (the catalogue's lookup, and every part sharing that number) or words
    that all appear in the part's name; ``ids`` narrows to those items (ticked on a page).
    """
    items = StockItem.objects.filter(plant=plant).select_related("part")
    if condition:
        items = items.filter(condition=condition)
    ids = [int(pk) for pk in ids]
    if ids:
        items = items.filter(pk__in=ids)
    q = q.strip()
    if q:
        by_name = Q()
        for word in q.split():
            by_name &= Q(part__name__icontains=word)
        part_id = part_ids_by_numbers([q]).get(q)
        items = items.filter(by_name | interchangeable_parts(part_id)) if part_id else items.filter(by_name)
    return items.order_by("part__name", "location", "pk").prefetch_related("part__numbers")


def stock_items_page(*, plant: Plant, page: int = 1, **filters) -> tuple[list[StockItem], bool]:
    """One page of ``stock_items_of_plant`` and whether another follows, without counting the whole store."""
    start = (max(page, 1) - 1) * STOCK_PAGE_SIZE
    rows = list(stock_items_of_plant(plant=plant, **filters)[start : start + STOCK_PAGE_SIZE + 1])
    return rows[:STOCK_PAGE_SIZE], len(rows) > STOCK_PAGE_SIZE


def stock_item_with_part(pk: int) -> StockItem | None:
    """An item with its plant, part, material and numbers, for its page (visibility is the caller's check)."""
    return (
        StockItem.objects.select_related("plant", "part", "part__material")
        .prefetch_related("part__numbers")
        .filter(pk=pk)
        .first()
    )


def stock_item_at(*, plant: Plant, part: Part, condition: str, location: str) -> StockItem | None:
    """The item a new one would duplicate (one per plant, part, condition and location)."""
    return StockItem.objects.filter(plant=plant, part=part, condition=condition, location=location).first()


def stock_movements_latest(stock_item: StockItem, limit: int = LEDGER_PAGE_SIZE) -> list[StockMovement]:
    """The item's latest ledger rows, newest first, with who made each."""
    return list(stock_item.movements.select_related("user").order_by("-at", "-pk")[:limit])


def part_with_numbers(pk: int) -> Part | None:
    return Part.objects.prefetch_related("numbers").filter(pk=pk).first()


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
