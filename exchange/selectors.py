"""Reads of the exchange: matching candidates, visibility, savings."""

from typing import NamedTuple

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from inventory import access
from inventory.models import Capability, Part, PartNumber, Plant, StockItem
from inventory.processes import MATERIAL_INDEPENDENT_PROCESSES
from inventory.selectors import interchangeable_parts, part_ids_by_numbers

from .matching import (
    IT_GRADE_NOT_REACHED,
    NO_UNITS,
    PROCESS_MISSING,
    WRONG_PART,
    CapabilityCandidate,
    RequestSpec,
    SourceRecord,
    StockCandidate,
    capability_serves,
    fabricator_capabilities,
    great_circle_km,
    source_key,
    stock_is_feasible,
    workshop_failures,
)
from .models import Criticality, Match, Notification, PartRequest
from .sql import fetch, placeholders


def open_request_specs(part_request_ids) -> dict[int, RequestSpec]:
    """The open requests among these ids as the engine reads them, by id, each locked until the
    transaction ends (on PostgreSQL; SQLite's transactions here take the database's write lock
    as they begin)."""
    part_request_ids = sorted(set(part_request_ids))
    if not part_request_ids:
        return {}
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
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
    """Exchangeable stock with units available of the part or of any part sharing one of its numbers."""
    if part_id is None:
        return []
    return stock_candidates_for_parts({part_id})[part_id]


def stock_candidates_for_parts(part_ids) -> dict[int, list[StockCandidate]]:
    """For each part, the exchangeable stock with units available of it or of any part sharing one
    of its normalized numbers (the cross-references). One query whatever the number of parts.

    The engine's hot reads are written in SQL: built through the ORM they cost more Python time
    than the database takes to answer them (docs/performance.md).
    """
    part_ids = sorted(set(part_ids))
    if not part_ids:
        return {}
    listed = placeholders(part_ids)
    rows = fetch(
        f"""
        SELECT wanted.part_id, s.id, s.part_id, s.plant_id, s.quantity - s.reserved, s.condition,
               p.latitude, p.longitude
        FROM (
            SELECT own.part_id AS part_id, shared.part_id AS sharing_id
            FROM {PartNumber._meta.db_table} own
            JOIN {PartNumber._meta.db_table} shared ON shared.normalized = own.normalized
            WHERE own.part_id IN ({listed})
            UNION
            SELECT id, id FROM {Part._meta.db_table} WHERE id IN ({listed})
        ) wanted
        JOIN {StockItem._meta.db_table} s ON s.part_id = wanted.sharing_id
        JOIN {Plant._meta.db_table} p ON p.id = s.plant_id
        WHERE s.exchangeable = %s AND s.quantity > s.reserved
        ORDER BY wanted.part_id, s.part_id, s.id
        """,
        [*part_ids, *part_ids, True],
    )
    by_part: dict[int, list[StockCandidate]] = {part_id: [] for part_id in part_ids}
    for row in rows:
        by_part[row[0]].append(StockCandidate(row[1], row[2], row[3], row[4], row[5], True, row[6], row[7]))
    return by_part


def capability_candidates(spec: RequestSpec) -> list[CapabilityCandidate]:
    """Capabilities for the request's processes at plants that could do them all. One query.

    exchange.matching decides; the filters here only narrow the rows to those
    that can pass its hard conditions (envelope, material, every process, the
    tightest grade), so that a common process like turning does not bring back
    every lathe in the country.
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

    Narrows for each request as capability_candidates's SQL does, with exchange.matching's
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
    """Open requests that a stock item could serve: same part or a shared number. Indexed lookups."""
    return PartRequest.objects.filter(interchangeable_parts(stock_item.part_id), status=PartRequest.Status.OPEN)


def open_requests_for_capability(capability: Capability) -> QuerySet:
    """Open requests a capability may help serve: those needing its process, of one of its materials."""
    requests = PartRequest.objects.filter(status=PartRequest.Status.OPEN).exclude(processes=[])
    material_ids = list(capability.materials.values_list("id", flat=True))
    if capability.process not in MATERIAL_INDEPENDENT_PROCESSES:
        requests = requests.filter(Q(material_id__in=material_ids) | Q(material__isnull=True))
    for limit_field, request_field in (
        ("max_diameter_mm", "diameter_mm"),
        ("max_length_mm", "length_mm"),
        ("max_weight_kg", "weight_kg"),
    ):
        limit = getattr(capability, limit_field)
        if limit is not None:
            requests = requests.filter(Q(**{f"{request_field}__isnull": True}) | Q(**{f"{request_field}__lte": limit}))
    return requests


def matches_visible_to(user) -> QuerySet:
    matches = Match.objects.all()
    if access.is_administrator(user):
        return matches
    plant_ids = access.plant_ids_acted_for(user)
    return matches.filter(Q(request__plant_id__in=plant_ids) | Q(source_plant_id__in=plant_ids))


# Admin dashboard: the review workload and where the shortages are.


def open_requests_by_criticality() -> dict[str, int]:
    """Open requests per criticality, every criticality present (zero where none)."""
    counts = dict(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN)
        .values_list("criticality")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {criticality: counts.get(criticality, 0) for criticality in Criticality.values}


def proposals_awaiting_review() -> dict:
    """How many matches wait for an administrator, and since when the oldest has waited."""
    return Match.objects.filter(status=Match.Status.PROPOSED).aggregate(count=Count("id"), oldest=Min("created_at"))


def states_with_most_open_requests(limit: int = 10) -> list[dict]:
    return list(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN)
        .values(state=F("plant__state"))
        .annotate(count=Count("id"))
        .order_by("-count", "state")[:limit]
    )


# Notifications


def notifications_for(user, *, plant_id: int | None = None, limit: int | None = None) -> QuerySet:
    """The user's notifications, unread first, then newest; each renders its text with no further query."""
    if not user or not user.is_authenticated:
        return Notification.objects.none()
    notifications = (
        Notification.objects.filter(user=user)
        .select_related("plant", "request__plant", "request__part", "match__source_plant")
        .alias(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-at", "-id")
    )
    if plant_id is not None:
        notifications = notifications.filter(plant_id=plant_id)
    return notifications if limit is None else notifications[:limit]


def unread_notification_count(user, plant_id: int | None = None) -> int:
    if not user or not user.is_authenticated:
        return 0
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if plant_id is not None:
        unread = unread.filter(plant_id=plant_id)
    return unread.count()


# Web pages: the acting plant's home. Each read is one query whatever the number of rows.

# Matches still able to serve their request, as the best source of an open shortage.
LIVE_MATCH_STATUSES = (Match.Status.PROPOSED, Match.Status.APPROVED, Match.Status.ACCEPTED, Match.Status.SHIPPED)


class WaitingFor:
    """What a match waits for the plant to do: the step of the lifecycle that is the plant's."""

    QUOTE = "quote"
    ACCEPT = "accept"
    SHIP = "ship"
    RECEIVE = "receive"


def matches_waiting_for_plant(plant_id: int, *, limit: int = 25) -> list[Match]:
    """The matches on which the plant has the next step, each with ``waiting_for``; most urgent request first.

    As the requester it accepts approved, quoted sources and receives accepted or shipped units; as the
    source it quotes proposals and approvals not yet quoted, and ships what was accepted.
    """
    as_requester = Q(request__plant_id=plant_id)
    as_source = Q(source_plant_id=plant_id)
    waiting_for = Case(
        When(as_requester & Q(status=Match.Status.APPROVED, quote_price__isnull=False), then=Value(WaitingFor.ACCEPT)),
        When(
            as_requester & Q(status__in=(Match.Status.ACCEPTED, Match.Status.SHIPPED)), then=Value(WaitingFor.RECEIVE)
        ),
        When(
            as_source & Q(status__in=(Match.Status.PROPOSED, Match.Status.APPROVED), quote_price__isnull=True),
            then=Value(WaitingFor.QUOTE),
        ),
        When(as_source & Q(status=Match.Status.ACCEPTED), then=Value(WaitingFor.SHIP)),
        default=Value(""),
    )
    return list(
        Match.objects.filter(as_requester | as_source)
        .annotate(waiting_for=waiting_for)
        .exclude(waiting_for="")
        .select_related("request__part", "request__plant", "source_plant")
        .order_by(_request_urgency("request__"), "request__needed_by", "created_at", "pk")[:limit]
    )


def _request_urgency(prefix: str = "") -> Case:
    """Production stopped first, then degraded, then preventive."""
    return Case(
        *(
            When(**{f"{prefix}criticality": criticality}, then=Value(rank))
            for rank, criticality in enumerate(Criticality.values)
        ),
        output_field=IntegerField(),
    )


def open_requests_with_best_source(plant_id: int, *, limit: int = 25) -> list[PartRequest]:
    """The plant's open shortages, most urgent first, each with ``best_source``: its best live match or None."""
    best = Match.objects.filter(request=OuterRef("pk"), status__in=LIVE_MATCH_STATUSES).order_by("-score", "pk")
    requests = list(
        PartRequest.objects.filter(plant_id=plant_id, status=PartRequest.Status.OPEN)
        .annotate(best_source_id=Subquery(best.values("pk")[:1]))
        .select_related("part")
        .order_by(_request_urgency(), F("needed_by").asc(nulls_last=True), "created_at", "pk")[:limit]
    )
    sources = Match.objects.select_related("source_plant").in_bulk(
        [request.best_source_id for request in requests if request.best_source_id]
    )
    for request in requests:
        request.best_source = sources.get(request.best_source_id)
    return requests


def plant_figures(plant_id: int) -> dict:
    """The plant's shortages open and served, and the dollars its fulfilled matches kept from imports."""
    requests = PartRequest.objects.filter(plant_id=plant_id).aggregate(
        # Distinct: the join to the matches repeats each request once per match.
        open=Count("id", distinct=True, filter=Q(status=PartRequest.Status.OPEN)),
        fulfilled=Count("id", distinct=True, filter=Q(status=PartRequest.Status.FULFILLED)),
        usd_avoided=Sum("matches__usd_avoided", filter=Q(matches__status=Match.Status.FULFILLED)),
    )
    return {**requests, "usd_avoided": requests["usd_avoided"] or 0}


def match_ids_visible_to(user, match_ids) -> set[int]:
    """Those of ``match_ids`` the user may open (a ledger row links its match only then)."""
    match_ids = {pk for pk in match_ids if pk}
    if not match_ids:
        return set()
    return set(matches_visible_to(user).filter(pk__in=match_ids).values_list("pk", flat=True))


# The web pages: the board of open shortages, offers, and what a workshop fits.

# SPEC "Urgency": stopped lines first, then degraded, then preventive.
URGENCY_RANK = Case(
    When(criticality=Criticality.PRODUCTION_STOPPED, then=Value(0)),
    When(criticality=Criticality.DEGRADED, then=Value(1)),
    default=Value(2),
)


def open_requests_by_urgency() -> QuerySet:
    """Open requests, most urgent first, the oldest first within a criticality.

    Among stopped lines SPEC puts the costliest so far first (days since ``stopped_since`` times
    ``downtime_usd_per_day``, or the days alone); that order goes between the rank and the age here
    once PartRequest records when production stopped.
    """
    return (
        PartRequest.objects.filter(status=PartRequest.Status.OPEN)
        .annotate(urgency=URGENCY_RANK)
        .order_by("urgency", "created_at", "id")
    )


def board_requests(*, q: str = "", process: str = "", state: str = "", criticality: str = "") -> QuerySet:
    """The board: open requests of the whole country, most urgent first, narrowed by the filters given.

    ``q`` is a part number in any brand (the part it names and every part sharing one of its
    numbers) or words, each found in the part's name, the request's description or its number as
    written.
    """
    requests = open_requests_by_urgency().select_related("plant", "part")
    if q:
        words = Q()
        for word in q.split():
            words &= Q(part__name__icontains=word) | Q(description__icontains=word) | Q(number__icontains=word)
        part_id = part_ids_by_numbers([q]).get(q)
        requests = requests.filter(words | interchangeable_parts(part_id) if part_id else words)
    if process:
        # A JSON list's text holds each code between quotes, on SQLite and PostgreSQL alike.
        requests = requests.filter(processes__icontains=f'"{process}"')
    if state:
        requests = requests.filter(plant__state__iexact=state)
    if criticality:
        requests = requests.filter(criticality=criticality)
    return requests


def plant_capabilities(plant_id: int) -> list[Capability]:
    """One plant's capabilities, with their plant and materials, in process order. Two queries."""
    capabilities = Capability.objects.filter(plant_id=plant_id).select_related("plant").prefetch_related("materials")
    return sorted(capabilities, key=lambda capability: str(capability.get_process_display()))


def capability_candidate(capability: Capability) -> CapabilityCandidate:
    """A capability (its plant and materials loaded) as the engine's rule reads it."""
    return CapabilityCandidate(
        capability_id=capability.pk,
        plant_id=capability.plant_id,
        process=capability.process,
        material_ids=frozenset(material.pk for material in capability.materials.all()),
        max_diameter_mm=capability.max_diameter_mm,
        max_length_mm=capability.max_length_mm,
        max_weight_kg=capability.max_weight_kg,
        best_it_grade=capability.best_it_grade,
        lead_time_days=capability.lead_time_days,
        latitude=capability.plant.latitude,
        longitude=capability.plant.longitude,
    )


def request_spec(part_request: PartRequest) -> RequestSpec:
    """A request as the engine's rule reads it (its plant loaded)."""
    return RequestSpec(
        part_id=part_request.part_id,
        quantity=max(part_request.quantity_outstanding, 1),
        plant_id=part_request.plant_id,
        latitude=part_request.plant.latitude,
        longitude=part_request.plant.longitude,
        needed_by=part_request.needed_by,
        material_id=part_request.material_id,
        processes=tuple(part_request.processes or ()),
        diameter_mm=part_request.diameter_mm,
        length_mm=part_request.length_mm,
        weight_kg=part_request.weight_kg,
        it_grade=part_request.it_grade,
    )


class Fit(NamedTuple):
    """An open request a plant's workshop can make: the distance, and the capabilities it takes."""

    distance_km: float | None
    capability_ids: tuple[int, ...]


def open_requests_fitting(capabilities: list[Capability]) -> dict[int, Fit]:
    """The open requests the engine would propose a workshop for, by request id: ``capabilities`` are
    one plant's (plant_capabilities). One query.

    The engine's own rule decides (matching.fabricator_capabilities, the one the engine ranks with);
    the query only leaves out requests that cannot pass it: those naming no process, and, where every
    capability depends on the material, those of a material none handles.
    """
    capabilities = [capability_candidate(capability) for capability in capabilities]
    if not capabilities:
        return {}
    requests = PartRequest.objects.filter(status=PartRequest.Status.OPEN).exclude(processes=[])
    if all(capability.process not in MATERIAL_INDEPENDENT_PROCESSES for capability in capabilities):
        handled = set().union(*(capability.material_ids for capability in capabilities))
        requests = requests.filter(Q(material__isnull=True) | Q(material_id__in=handled))
    fits = {}
    for part_request in requests.select_related("plant").only(
        *(field.name for field in PartRequest._meta.concrete_fields), "plant__latitude", "plant__longitude"
    ):
        spec = request_spec(part_request)
        chosen = fabricator_capabilities(spec, capabilities)
        if chosen:
            distance_km = great_circle_km(spec.latitude, spec.longitude, chosen[0].latitude, chosen[0].longitude)
            fits[part_request.pk] = Fit(distance_km, tuple(capability.capability_id for capability in chosen))
    return fits


class OfferSource(NamedTuple):
    """One of a plant's stock items or capabilities, and why it cannot be offered on a request (if so)."""

    source: StockItem | Capability
    failures: tuple[str, ...]
    missing_processes: tuple[str, ...] = ()


def offer_sources(*, part_request: PartRequest, plant_id: int) -> tuple[list[OfferSource], list[OfferSource]]:
    """The plant's stock items and capabilities for an offer on the request, each with the conditions
    it fails (none: it can be offered), by the engine's rules. Five queries.

    Stock must be of the requested part or share one of its numbers, with exchangeable units
    available. A workshop must serve every process the request needs (matching.workshop_failures);
    a request that names no process states nothing to check, so any capability may be offered on it.
    """
    stock_items = list(StockItem.objects.filter(plant_id=plant_id).select_related("part").order_by("part__name", "id"))
    right_part = set()
    if part_request.part_id is not None and stock_items:
        right_part = set(
            StockItem.objects.filter(interchangeable_parts(part_request.part_id), plant_id=plant_id).values_list(
                "id", flat=True
            )
        )
    stock = []
    for item in stock_items:
        candidate = StockCandidate(
            item.pk, item.part_id, plant_id, item.quantity_available, item.condition, item.exchangeable, None, None
        )
        if item.pk not in right_part:
            failures = (WRONG_PART,)
        elif not stock_is_feasible(candidate):
            failures = (NO_UNITS,)
        else:
            failures = ()
        stock.append(OfferSource(item, failures))

    capabilities = plant_capabilities(plant_id)
    workshop = workshop_failures(request_spec(part_request), [capability_candidate(c) for c in capabilities])
    workshop_wide = ((PROCESS_MISSING,) if workshop.missing_processes else ()) + (
        (IT_GRADE_NOT_REACHED,) if workshop.it_grade_not_reached else ()
    )
    offered = [
        OfferSource(
            capability, workshop.by_capability.get(capability.pk, ()) + workshop_wide, workshop.missing_processes
        )
        for capability in capabilities
    ]
    offered.sort(key=lambda source: bool(source.failures))
    return stock, offered


class CapabilityFits(NamedTuple):
    """The open requests one capability helps make today: how many, and the most urgent few."""

    count: int
    first: list[PartRequest]


def fitting_requests_by_capability(capabilities: list[Capability], *, first: int = 3) -> dict[int, CapabilityFits]:
    """For each of one plant's capabilities, the open requests the engine would propose its workshop
    for that need the capability (open_requests_fitting), most urgent first. Three queries."""
    fits = open_requests_fitting(capabilities)
    ordered = list(open_requests_by_urgency().filter(pk__in=fits).values_list("pk", flat=True)) if fits else []
    by_capability = {capability.pk: [] for capability in capabilities}
    for request_id in ordered:
        for capability_id in fits[request_id].capability_ids:
            by_capability[capability_id].append(request_id)
    shown = {request_id for request_ids in by_capability.values() for request_id in request_ids[:first]}
    requests = PartRequest.objects.select_related("part", "plant").in_bulk(shown) if shown else {}
    return {
        capability_id: CapabilityFits(len(request_ids), [requests[request_id] for request_id in request_ids[:first]])
        for capability_id, request_ids in by_capability.items()
    }
