"""Reads of the inventory: lookups by normalized number. Who acts for which plant is inventory/access.py."""

from collections import defaultdict
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q

from .models import Interchange, Material, MaterialDesignation, Part, PartNumber, Plant, StockItem, StockMovement
from .normalization import normalize_code


def part_find_by_number(text: str) -> Part | None:
    """The catalogue part a number names, as a person would write it (see part_ids_by_numbers)."""
    part_id = part_ids_by_numbers([text]).get(text)
    return Part.objects.get(pk=part_id) if part_id else None


# Many bounded IN lists rather than one per number: a spreadsheet names tens of thousands.
NUMBER_LOOKUP_BATCH = 2000
KNOWN_BRANDS_CACHE_KEY = "inventory:known-brands"
# Numbers written by COPY or raw SQL send no signal: the set is also reread this often.
KNOWN_BRANDS_SECONDS = 60


# Each step finds the next value in the column's index: a few dozen index probes where DISTINCT would
# read every row, all 500,000 numbers for the brands (PostgreSQL before 18 has no skip scan; SQLite runs
# the same SQL).
DISTINCT_INDEXED_VALUES_SQL = """
WITH RECURSIVE found(value) AS (
    SELECT MIN({column}) FROM {table}
    UNION ALL
    SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > found.value) FROM found WHERE found.value IS NOT NULL
)
SELECT value FROM found WHERE value IS NOT NULL
"""


def distinct_indexed_values(model, field_name: str) -> list:
    """The distinct values of an indexed column, in order, from its index."""
    quote = connection.ops.quote_name
    sql = DISTINCT_INDEXED_VALUES_SQL.format(
        table=quote(model._meta.db_table), column=quote(model._meta.get_field(field_name).column)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [value for (value,) in cursor.fetchall()]


def known_brands() -> frozenset[str]:
    """The normalized brands of the catalogue's numbers ("SKF", "FAG", "GENERIC"), cached (see forget_known_brands)."""
    brands = cache.get(KNOWN_BRANDS_CACHE_KEY)
    if brands is None:
        brands = frozenset(normalize_code(brand) for brand in distinct_indexed_values(PartNumber, "brand")) - {""}
        cache.set(KNOWN_BRANDS_CACHE_KEY, brands, KNOWN_BRANDS_SECONDS)
    return brands


def part_categories() -> list[str]:
    """The catalogue's categories, for a filter's choices."""
    return [category for category in distinct_indexed_values(Part, "category") if category]


def forget_known_brands(**_signal) -> None:
    """Drop the cached brands now and again once the change commits, so that no reader keeps the old set."""
    cache.delete(KNOWN_BRANDS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(KNOWN_BRANDS_CACHE_KEY))


def _written_forms(text: str, brands: frozenset[str]) -> tuple[str, list[tuple[str, str]], str]:
    """The number whole, the (brand, number) readings with a known brand before or after it, and the
    number after an unknown first word ("Rodamiento 6205-2RS")."""
    code = normalize_code(text)
    with_brand = []
    for cut in range(1, len(code)):
        if code[:cut] in brands:
            with_brand.append((code[:cut], code[cut:]))
        if code[cut:] in brands:
            with_brand.append((code[cut:], code[:cut]))
    return code, with_brand, normalize_code(text.strip().partition(" ")[2])


def part_ids_by_numbers(texts: Iterable[str]) -> dict[str, int]:
    """The part id each written number names, for the texts that name one. One query (and the cached brands).

    The whole text is a number first ("6205-2RS", "TC 25x42x7"); else a brand the catalogue knows,
    before or after the number, joined or separated, in any case ("fag6205-2rsr", "6205-2RSR FAG"),
    preferring a part listed under that brand; else the text after its first word. Only whole numbers
    are compared, never a prefix, so a brand never turns one part into another: "FAG 6205-2Z" is the
    shielded part, never the sealed 6205-2RSR. Among equals, the oldest part.
    """
    brands = known_brands()
    forms = {text: _written_forms(text, brands) for text in texts if normalize_code(text)}
    codes = set()
    for whole, with_brand, after_first_word in forms.values():
        codes.update([whole, after_first_word, *(number for _brand, number in with_brand)])
    candidates = _part_numbers_by_normalized(codes - {""})
    found = {}
    for text, (whole, with_brand, after_first_word) in forms.items():
        part_id = _first_part(candidates.get(whole))
        for brand, number in with_brand if part_id is None else ():
            part_id = _first_part(candidates.get(number), brand)
            if part_id is not None:
                break
        for _brand, number in with_brand if part_id is None else ():
            part_id = _first_part(candidates.get(number))
            if part_id is not None:
                break
        if part_id is None:
            part_id = _first_part(candidates.get(after_first_word))
        if part_id is not None:
            found[text] = part_id
    return found


def _first_part(candidates: list[tuple[int, str]] | None, brand: str | None = None) -> int | None:
    """The oldest candidate part, or the oldest listing the number under ``brand`` (normalized) when given."""
    for part_id, number_brand in candidates or ():
        if brand is None or normalize_code(number_brand) == brand:
            return part_id
    return None


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
    return Q(**{f"{field}__in": part_ids_sharing_numbers({part_id})})


def part_ids_sharing_numbers(part_ids: Iterable[int]) -> set[int]:
    """The parts and every part sharing one of their normalized numbers. One query."""
    part_ids = set(part_ids)
    if not part_ids:
        return set()
    own_numbers = PartNumber.objects.filter(part_id__in=part_ids).values("normalized")
    return part_ids | set(PartNumber.objects.filter(normalized__in=own_numbers).values_list("part_id", flat=True))


def part_ids_served_by_stock_of(part_id: int) -> set[int]:
    """The parts whose shortages stock of this part can serve: matching's stock rule, seen from the stock.

    The part and the parts sharing a number with it; then, for each approved interchange that fits
    one of those where the other side is needed, that other side and the parts sharing a number
    with it. exchange.engine.reads.stock_candidates_for_parts states the same rule from the need.
    """
    fitted = part_ids_sharing_numbers({part_id})
    approved = Interchange.objects.filter(status=Interchange.Status.APPROVED).filter(
        Q(substitute_id__in=fitted) | Q(two_way=True, part_id__in=fitted)
    )
    needed = set()
    for needed_id, substitute_id, two_way in approved.values_list("part_id", "substitute_id", "two_way"):
        if substitute_id in fitted:
            needed.add(needed_id)
        if two_way and needed_id in fitted:
            needed.add(substitute_id)
    return fitted | part_ids_sharing_numbers(needed)


def part_ids_an_interchange_serves(interchange: Interchange) -> set[int]:
    """The parts whose shortages may find stock through this interchange, whatever its status."""
    needed = {interchange.part_id, interchange.substitute_id} if interchange.two_way else {interchange.part_id}
    return part_ids_sharing_numbers(needed)


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
