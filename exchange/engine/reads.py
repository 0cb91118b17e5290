"""The engine's reads: the requests it matches, their candidates, the sources' records, its own matches.

The hot reads are SQL (exchange/engine/sql.py): built through the ORM they cost more
Python time than the database takes to answer them (docs/performance.md). Where a read
narrows candidates in SQL, it writes the hard conditions of exchange.engine.rules a
second time, in another language: tests/exchange/engine/test_reads.py holds the
two equal.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from exchange.models import Match, PartRequest
from exchange.urgency import by_urgency
from inventory.models import Capability, Interchange, Part, PartNumber, Plant, StockItem
from inventory.processes import MATERIAL_INDEPENDENT_PROCESSES
from inventory.selectors import part_ids_an_interchange_serves, part_ids_served_by_stock_of

from .rules import (
    CapabilityCandidate,
    RequestSpec,
    SourceRecord,
    StockCandidate,
    capability_serves,
    source_key,
)
from .sql import fetch, placeholders


def open_request_specs(part_request_ids) -> dict[int, RequestSpec]:
    """The open requests among these ids as the engine reads them, by id, each locked until the
    transaction ends (on PostgreSQL; SQLite's transactions here take the database's write lock
    as they begin)."""
    part_request_ids = sorted(set(part_request_ids))
    if not part_request_ids:
        return {}
    lock = " FOR NO KEY UPDATE OF r" if connection.features.has_select_for_update_of else ""
    rows = fetch(
        f"""
        SELECT r.id, r.part_id, r.quantity - r.quantity_fulfilled, r.plant_id, p.latitude, p.longitude,
               r.needed_by, r.material_id, r.processes, r.diameter_mm, r.length_mm, r.weight_kg, r.it_grade
        FROM {PartRequest._meta.db_table} r
        JOIN {Plant._meta.db_table} p ON p.id = r.plant_id
        WHERE r.id IN ({placeholders(part_request_ids)}) AND r.status = %s
        ORDER BY r.id{lock}
        """,
        [*part_request_ids, PartRequest.Status.OPEN],
    )
    needed_by, processes, diameter, length, weight = (
        PartRequest._meta.get_field(name)
        for name in ("needed_by", "processes", "diameter_mm", "length_mm", "weight_kg")
    )
    return {
        row[0]: RequestSpec(
            part_id=row[1],
            quantity=max(row[2], 1),
            plant_id=row[3],
            latitude=row[4],
            longitude=row[5],
            needed_by=needed_by.to_python(row[6]),
            material_id=row[7],
            processes=tuple(processes.from_db_value(row[8], None, connection) or ()),
            diameter_mm=diameter.to_python(row[9]),
            length_mm=length.to_python(row[10]),
            weight_kg=weight.to_python(row[11]),
            it_grade=row[12],
        )
        for row in rows
    }


class StoredMatch(NamedTuple):
    """A match as the engine compares it with its fresh proposals."""

    id: int
    request_id: int
    key: tuple
    origin: str
    status: str
    quoted: bool
    score: float
    explanation: dict
    distance_km: float | None
    quantity: int


def stored_matches(part_request_ids) -> list[StoredMatch]:
    """Every match of these requests, whatever its status or origin."""
    if not part_request_ids:
        return []
    rows = fetch(
        f"""
        SELECT id, request_id, source, stock_item_id, source_plant_id, origin, status, quote_price IS NOT NULL,
               score, explanation, distance_km, quantity
        FROM {Match._meta.db_table}
        WHERE request_id IN ({placeholders(part_request_ids)})
        """,
        list(part_request_ids),
    )
    explanation = Match._meta.get_field("explanation")
    return [
        StoredMatch(
            id=row[0],
            request_id=row[1],
            key=source_key(row[2], row[3], row[4]),
            origin=row[5],
            status=row[6],
            quoted=bool(row[7]),
            score=row[8],
            explanation=explanation.from_db_value(row[9], None, connection),
            distance_km=row[10],
            quantity=row[11],
        )
        for row in rows
    ]


def stock_candidates(part_id: int | None) -> list[StockCandidate]:
    """Exchangeable stock with units available of the part, of a part sharing one of its numbers, or of an
    approved substitute."""
    if part_id is None:
        return []
    return stock_candidates_for_parts({part_id})[part_id]


def stock_candidates_for_parts(part_ids) -> dict[int, list[StockCandidate]]:
    """For each part, the exchangeable stock with units available that can serve it. One query whatever
    the number of parts.

    Stock of the part or of any part sharing one of its normalized numbers (the cross-references:
    inventory.selectors.interchangeable_parts in SQL); and, through each approved interchange whose
    part is one of those (or whose substitute is, when two way), stock of the other side or of a
    part sharing a number with it, the candidate naming that interchange. Where both ways reach an
    item, the shared number is kept. inventory.selectors.part_ids_served_by_stock_of states the same
    rule from the stock's side.
    """
    part_ids = sorted(set(part_ids))
    if not part_ids:
        return {}
    listed = placeholders(part_ids)
    numbers, interchanges = PartNumber._meta.db_table, Interchange._meta.db_table
    approved = Interchange.Status.APPROVED
    rows = fetch(
        f"""
        WITH sharing AS (
            SELECT own.part_id AS part_id, shared.part_id AS sharing_id
            FROM {numbers} own
            JOIN {numbers} shared ON shared.normalized = own.normalized
            WHERE own.part_id IN ({listed})
            UNION
            SELECT id, id FROM {Part._meta.db_table} WHERE id IN ({listed})
        ),
        substitutes AS (
            SELECT sharing.part_id AS part_id, i.substitute_id AS substitute_id, i.id AS interchange_id
            FROM sharing JOIN {interchanges} i ON i.part_id = sharing.sharing_id
            WHERE i.status = %s
            UNION
            SELECT sharing.part_id, i.part_id, i.id
            FROM sharing JOIN {interchanges} i ON i.substitute_id = sharing.sharing_id
            WHERE i.status = %s AND i.two_way = %s
        ),
        wanted AS (
            SELECT part_id, sharing_id, NULL AS interchange_id FROM sharing
            UNION
            SELECT part_id, substitute_id, interchange_id FROM substitutes
            UNION
            SELECT substitutes.part_id, shared.part_id, substitutes.interchange_id
            FROM substitutes
            JOIN {numbers} own ON own.part_id = substitutes.substitute_id
            JOIN {numbers} shared ON shared.normalized = own.normalized
        )
        SELECT wanted.part_id, s.id, s.part_id, s.plant_id, s.quantity - s.reserved, s.condition,
               p.latitude, p.longitude, wanted.interchange_id
        FROM wanted
        JOIN {StockItem._meta.db_table} s ON s.part_id = wanted.sharing_id
        JOIN {Plant._meta.db_table} p ON p.id = s.plant_id
        WHERE s.exchangeable = %s AND s.quantity > s.reserved
        ORDER BY wanted.part_id, s.part_id, s.id, wanted.interchange_id
        """,
        [*part_ids, *part_ids, approved, approved, True, True],
    )
    by_part: dict[int, dict[int, StockCandidate]] = {part_id: {} for part_id in part_ids}
    for row in rows:
        found = by_part[row[0]]
        known = found.get(row[1])
        # A shared number (no interchange) beats an interchange; of two interchanges, the first by id.
        if known is None or (known.interchange_id is not None and (row[8] is None or row[8] < known.interchange_id)):
            found[row[1]] = StockCandidate(row[1], row[2], row[3], row[4], row[5], True, row[6], row[7], row[8])
    return {part_id: list(found.values()) for part_id, found in by_part.items()}


def capability_candidates(spec: RequestSpec) -> list[CapabilityCandidate]:
    """Capabilities for the request's processes at plants that could do them all. One query.

    The hard conditions of rules.capability_serves (process, material, envelope) and of
    rules.fabricator_capabilities (every process, the tightest grade) in SQL, so that a
    common process like turning does not bring back every lathe in the country; the
    rules still decide.
    """
    if not spec.processes:
        return []
    processes = sorted(set(spec.processes))
    conditions, parameters = [f"c.process IN ({placeholders(processes)})"], list(processes)
    for needed, limit_column in (
        (spec.diameter_mm, "max_diameter_mm"),
        (spec.length_mm, "max_length_mm"),
        (spec.weight_kg, "max_weight_kg"),
    ):
        if needed is not None:
            conditions.append(f"(c.{limit_column} IS NULL OR c.{limit_column} >= %s)")
            parameters.append(needed)
    handles_material = "0"
    material_parameters = []
    if spec.material_id is not None:
        links = Capability.materials.through._meta.db_table
        handles_material = f"EXISTS (SELECT 1 FROM {links} m WHERE m.capability_id = c.id AND m.material_id = %s)"
        material_parameters = [spec.material_id]
        independent = sorted(MATERIAL_INDEPENDENT_PROCESSES)
        conditions.append(f"(c.process IN ({placeholders(independent)}) OR {handles_material})")
        parameters += [*independent, *material_parameters]
    serving = " AND ".join(conditions)
    # A plant holds one capability per process (a unique constraint), so counting rows counts processes.
    plants = (
        f"SELECT c.plant_id FROM {Capability._meta.db_table} c WHERE {serving} GROUP BY c.plant_id HAVING COUNT(*) = %s"
    )
    plant_parameters = [*parameters, len(processes)]
    if spec.it_grade is not None:
        plants += " AND MIN(c.best_it_grade) <= %s"
        plant_parameters.append(spec.it_grade)
    rows = fetch(
        f"""
        SELECT c.id, c.plant_id, c.process, c.max_diameter_mm, c.max_length_mm, c.max_weight_kg,
               c.best_it_grade, c.lead_time_days, p.latitude, p.longitude, {handles_material}
        FROM {Capability._meta.db_table} c
        JOIN {Plant._meta.db_table} p ON p.id = c.plant_id
        WHERE {serving} AND c.plant_id IN ({plants})
        ORDER BY c.id
        """,
        [*material_parameters, *parameters, *plant_parameters],
    )
    # SQLite hands decimal columns back as floats; the fields' own conversion makes them the Decimals
    # that the rules compare with the request's.
    limits = [
        Capability._meta.get_field(name).to_python for name in ("max_diameter_mm", "max_length_mm", "max_weight_kg")
    ]
    return [
        CapabilityCandidate(
            capability_id=row[0],
            plant_id=row[1],
            process=row[2],
            # Only the requested material matters to the rules, so only it is fetched.
            material_ids=frozenset({spec.material_id}) if row[10] else frozenset(),
            max_diameter_mm=limits[0](row[3]),
            max_length_mm=limits[1](row[4]),
            max_weight_kg=limits[2](row[5]),
            best_it_grade=row[6],
            lead_time_days=row[7],
            latitude=row[8],
            longitude=row[9],
        )
        for row in rows
    ]


# From this many fabrication requests on, a batch reads the capabilities of all their processes
# once and narrows in Python, instead of one narrowed query per request.
BATCH_WIDE_CAPABILITIES_FROM = 20


class CapabilityIndex:
    """Capabilities read once and indexed by process, and by process and material.

    Narrows for each request as capability_candidates's SQL does, with the rules'
    own rule (capability_serves), to plants that can do every process. Each list keeps the
    set of its plants: intersecting them first leaves few capabilities to test one by one.
    """

    def __init__(self, capabilities: list[CapabilityCandidate]):
        # Keyed by process, or by (process, material) for the processes that depend on material.
        self.holding: dict[str | tuple[str, int], list[CapabilityCandidate]] = {}
        for capability in capabilities:
            self.holding.setdefault(capability.process, []).append(capability)
            for material_id in capability.material_ids:
                self.holding.setdefault((capability.process, material_id), []).append(capability)
        self.plants = {key: frozenset(c.plant_id for c in listed) for key, listed in self.holding.items()}

    def candidates_for(self, spec: RequestSpec) -> list[CapabilityCandidate]:
        needed = set(spec.processes)
        keys = [
            process
            if spec.material_id is None or process in MATERIAL_INDEPENDENT_PROCESSES
            else (process, spec.material_id)
            for process in needed
        ]
        plants = frozenset.intersection(*(self.plants.get(key, frozenset()) for key in keys))
        serving = [
            capability
            for key in keys
            for capability in self.holding.get(key, ())
            if capability.plant_id in plants and capability_serves(spec, capability)
        ]
        processes_by_plant: dict[int, set[str]] = {}
        for capability in serving:
            processes_by_plant.setdefault(capability.plant_id, set()).add(capability.process)
        return [capability for capability in serving if processes_by_plant[capability.plant_id] == needed]


def capability_index(*, processes=None, material_ids=None) -> CapabilityIndex:
    """The index of the capabilities of these processes (all when None), knowing these materials. Two queries."""
    capabilities = Capability.objects.all()
    links = Capability.materials.through.objects.all()
    if processes is not None:
        capabilities = capabilities.filter(process__in=processes)
        links = links.filter(capability__process__in=processes)
    if material_ids is not None:
        links = links.filter(material_id__in=material_ids)
    materials: dict[int, set[int]] = {}
    for capability_id, material_id in links.values_list("capability_id", "material_id"):
        materials.setdefault(capability_id, set()).add(material_id)
    rows = capabilities.values_list(
        "id",
        "plant_id",
        "process",
        "max_diameter_mm",
        "max_length_mm",
        "max_weight_kg",
        "best_it_grade",
        "lead_time_days",
        "plant__latitude",
        "plant__longitude",
    )
    return CapabilityIndex(
        [CapabilityCandidate(row[0], row[1], row[2], frozenset(materials.get(row[0], ())), *row[3:]) for row in rows]
    )


def capability_candidates_for_specs(
    specs: dict[int, RequestSpec], index: CapabilityIndex | None = None
) -> dict[int, list[CapabilityCandidate]]:
    """capability_candidates for each request of a batch: from the index given, from one built for
    the batch when it is large, or one narrowed query per request."""
    fabrication = [spec for spec in specs.values() if spec.processes]
    if index is None:
        if len(fabrication) < BATCH_WIDE_CAPABILITIES_FROM:
            return {request_id: capability_candidates(spec) for request_id, spec in specs.items()}
        index = capability_index(
            processes=set().union(*(spec.processes for spec in fabrication)),
            material_ids={spec.material_id for spec in fabrication if spec.material_id is not None},
        )
    return {request_id: index.candidates_for(spec) if spec.processes else [] for request_id, spec in specs.items()}


def source_records(plant_ids) -> dict[int, SourceRecord]:
    """Each source plant's fulfilled and cancelled matches. One query."""
    plant_ids = sorted(set(plant_ids))
    if not plant_ids:
        return {}
    rows = fetch(
        f"""
        SELECT source_plant_id,
               SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)
        FROM {Match._meta.db_table}
        WHERE source_plant_id IN ({placeholders(plant_ids)}) AND status IN (%s, %s)
        GROUP BY source_plant_id
        """,
        [Match.Status.FULFILLED, Match.Status.CANCELLED, *plant_ids, Match.Status.FULFILLED, Match.Status.CANCELLED],
    )
    return {plant_id: SourceRecord(fulfilled, cancelled) for plant_id, fulfilled, cancelled in rows}


def open_requests_for_stock_item(stock_item: StockItem) -> QuerySet:
    """Open requests that a stock item could serve: same part, a shared number, an approved interchange.
    Indexed lookups."""
    return PartRequest.objects.filter(
        part_id__in=part_ids_served_by_stock_of(stock_item.part_id), status=PartRequest.Status.OPEN
    )


def open_requests_for_interchange(interchange: Interchange) -> QuerySet:
    """Open requests that could find stock through this interchange, were it approved."""
    return PartRequest.objects.filter(
        part_id__in=part_ids_an_interchange_serves(interchange), status=PartRequest.Status.OPEN
    )


# Each size of a part and the capability's limit for it.
ENVELOPE = (("diameter_mm", "max_diameter_mm"), ("length_mm", "max_length_mm"), ("weight_kg", "max_weight_kg"))


def in_sweep_order(requests: QuerySet) -> QuerySet:
    """SPEC "Urgency": the most urgent first, then the least recently matched. A new source's reverse match
    re-matches at most run.REVERSE_MATCH_LIMIT requests: these are the ones it reaches first."""
    return requests.order_by(*by_urgency(timezone.localdate()), F("matched_at").asc(nulls_first=True), "id")


def open_requests_for_capability(capability: Capability) -> list[int]:
    """The open requests a capability may help serve, in sweep order: rules.capability_serves (its process,
    one of its materials, its envelope) as a filter of requests, from the requests' side."""
    requests = PartRequest.objects.filter(status=PartRequest.Status.OPEN).exclude(processes=[])
    material_ids = list(capability.materials.values_list("id", flat=True))
    if capability.process not in MATERIAL_INDEPENDENT_PROCESSES:
        requests = requests.filter(Q(material_id__in=material_ids) | Q(material__isnull=True))
    for request_field, limit_field in ENVELOPE:
        limit = getattr(capability, limit_field)
        if limit is not None:
            requests = requests.filter(Q(**{f"{request_field}__isnull": True}) | Q(**{f"{request_field}__lte": limit}))
    # Portable JSON containment is not a lookup SQLite has: the process is checked on the rows.
    return [
        request_id
        for request_id, processes in in_sweep_order(requests).values_list("id", "processes")
        if capability.process in processes
    ]


def open_process_lists() -> list[list[str]]:
    """The distinct lists of processes that open requests name: one probe of request_open_processes_idx
    per list, however many requests name each."""
    table = PartRequest._meta.db_table
    rows = fetch(
        f"""
        WITH RECURSIVE listed(processes) AS (
            SELECT * FROM (SELECT processes FROM {table} WHERE status = %s ORDER BY processes LIMIT 1) AS first
            UNION ALL
            SELECT (
                SELECT r.processes FROM {table} r
                WHERE r.status = %s AND r.processes > listed.processes ORDER BY r.processes LIMIT 1
            )
            FROM listed WHERE listed.processes IS NOT NULL
        )
        SELECT processes FROM listed WHERE processes IS NOT NULL
        """,
        [PartRequest.Status.OPEN, PartRequest.Status.OPEN],
    )
    field = PartRequest._meta.get_field("processes")
    return [field.from_db_value(row[0], None, connection) for row in rows]


def requests_a_workshop_can_make(capabilities: list[CapabilityCandidate]) -> Q:
    """rules.fabricator_capabilities as a filter of open requests, for one plant's capabilities.

    A request names processes, each one this plant has, in a capability that handles the material
    (or whose process ignores it) and whose envelope holds the part; where the request states an
    IT grade, the tightest of the capabilities it takes reaches it. Written out for each list of
    processes that open requests name and that the plant covers (open_process_lists): the database
    reads only the requests of those lists (request_open_processes_idx) and compares plain columns.
    A plant holds one capability per process (a unique constraint), so each list names the
    capabilities it takes. One query, none for a plant without capabilities.
    """
    by_process = {capability.process: capability for capability in capabilities}
    condition = Q(pk__in=[])
    for processes in open_process_lists() if capabilities else ():
        if processes and set(processes) <= set(by_process):
            condition |= _made_by(processes, [by_process[process] for process in processes])
    return condition


def _made_by(processes, chosen) -> Q:
    # The requests naming exactly these processes that the capabilities chosen for them can make: a
    # material each handles, a size within the smallest limit, a grade the tightest reaches.
    makes = Q(processes=processes)
    handling = [c.material_ids for c in chosen if c.process not in MATERIAL_INDEPENDENT_PROCESSES]
    if handling:
        handled_by_all = frozenset.intersection(*handling)
        no_material = Q(material__isnull=True)
        makes &= no_material | Q(material_id__in=sorted(handled_by_all)) if handled_by_all else no_material
    for request_field, limit_field in ENVELOPE:
        limits = [getattr(c, limit_field) for c in chosen if getattr(c, limit_field) is not None]
        if limits:
            makes &= Q(**{f"{request_field}__isnull": True}) | Q(**{f"{request_field}__lte": min(limits)})
    grades = [capability.best_it_grade for capability in chosen if capability.best_it_grade is not None]
    reaches_grade = Q(it_grade__isnull=True)
    if grades:
        reaches_grade |= Q(it_grade__gte=min(grades))
    return makes & reaches_grade
