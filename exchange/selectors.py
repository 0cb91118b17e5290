"""Reads of the exchange: matching candidates, visibility, savings."""

from datetime import date
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
    Prefetch,
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
from inventory.selectors import interchangeable_parts

from .matching import (
    CapabilityCandidate,
    RequestSpec,
    SourceRecord,
    StockCandidate,
    capability_serves,
    source_key,
)
from .models import Criticality, Match, MatchStatusChange, Notification, PartRequest, RequestStatusChange
from .sql import fetch, placeholders
from .transitions import OPEN_STATUSES


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


# The web pages' reads: each page's rows in a fixed number of queries, whatever their number.


def part_request_urgency(part_request: PartRequest, today) -> tuple:
    """SPEC's order of urgency: stopped, then degraded, then preventive; among stopped lines, the
    costliest so far first (days stopped × cost of a day, or the days alone where no cost is given)."""
    days = part_request.days_stopped(today)
    cost = part_request.downtime_cost_usd(today)
    return (
        Criticality.values.index(part_request.criticality),
        -(cost if cost is not None else days if days is not None else -1),
        part_request.needed_by or date.max,
        -part_request.pk,
    )


def part_requests_visible_to(user) -> QuerySet:
    """The requests a user may see: every open one (finding sources across plants is the point), its
    plants' own, and those its plants hold a match on; administrators see all."""
    requests = PartRequest.objects.all()
    if access.is_administrator(user):
        return requests
    plant_ids = access.plant_ids_acted_for(user)
    return requests.filter(
        Q(status=PartRequest.Status.OPEN)
        | Q(plant_id__in=plant_ids)
        | Q(pk__in=Match.objects.filter(source_plant_id__in=plant_ids).values("request_id"))
    )


def plant_part_requests(*, plant_id: int, status: str, today, limit: int = 200) -> list[PartRequest]:
    """A plant's requests of one status, most urgent first, each with ``open_matches`` best first. Two queries."""
    best_first = Match.objects.filter(status__in=OPEN_STATUSES).select_related("source_plant").order_by("-score", "id")
    requests = list(
        PartRequest.objects.filter(plant_id=plant_id, status=status)
        .select_related("part")
        .prefetch_related(Prefetch("matches", queryset=best_first, to_attr="open_matches"))
        .order_by(_request_urgency(), "-created_at")[:limit]
    )
    return sorted(requests, key=lambda part_request: part_request_urgency(part_request, today))


def part_request_for_page(*, part_request_id: int, user) -> PartRequest:
    """The request as its page shows it, if the user may see it (else PartRequest.DoesNotExist). Four queries."""
    return (
        part_requests_visible_to(user)
        .select_related("plant", "part", "material", "created_by")
        .prefetch_related(
            "part__numbers", "photos", Prefetch("history", queryset=_history_with_users(RequestStatusChange))
        )
        .get(pk=part_request_id)
    )


def matches_for_request_page(*, part_request: PartRequest, user) -> list[Match]:
    """The request's matches the user may see: those still open first, best first. Two queries."""
    still_open = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    return list(
        matches_visible_to(user)
        .filter(request=part_request)
        .select_related("source_plant", "stock_item__part", "capability")
        .prefetch_related(Prefetch("history", queryset=_history_with_users(MatchStatusChange)))
        .order_by(still_open, "-score", "id")
    )


def match_for_page(*, match_id: int, user) -> Match:
    """A match as its page shows it, if the user may see it (else Match.DoesNotExist). Three queries."""
    return (
        matches_visible_to(user)
        .select_related("request__plant", "request__part", "source_plant", "stock_item__part", "capability")
        .prefetch_related(
            "request__part__numbers", Prefetch("history", queryset=_history_with_users(MatchStatusChange))
        )
        .get(pk=match_id)
    )


def _history_with_users(model):
    return model.objects.select_related("user").order_by("at", "id")


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
