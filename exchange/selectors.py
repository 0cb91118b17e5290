"""Reads of the exchange outside the engine (exchange.engine.reads): visibility, the dashboard, the pages."""

import operator
from decimal import Decimal
from functools import reduce
from typing import NamedTuple

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
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.db.models.lookups import In
from django.utils import timezone

from inventory import access
from inventory.models import Capability, StockItem
from inventory.selectors import interchangeable_parts, part_ids_by_numbers

from . import savings
from .engine.reads import requests_a_workshop_can_make
from .engine.rules import (
    IT_GRADE_NOT_REACHED,
    NO_UNITS,
    PROCESS_MISSING,
    WRONG_PART,
    CapabilityCandidate,
    RequestSpec,
    StockCandidate,
    stock_is_feasible,
    workshop_failures,
)
from .models import Criticality, Match, MatchStatusChange, Notification, PartRequest, RequestStatusChange
from .transitions import OPEN_STATUSES, RESERVING_STATUSES
from .urgency import by_urgency, downtime_cost_so_far, slice_in_urgency_order


def matches_visible_to(user) -> QuerySet:
    matches = Match.objects.all()
    if access.is_administrator(user):
        return matches
    return matches.filter(_matches_of_plants(access.plant_ids_acted_for(user)))


class InArray(In):
    """``pk IN (subquery)`` written ``pk = ANY(ARRAY(subquery))`` on PostgreSQL: the ids are read first, once,
    and their rows fetched by key. As ``IN``, the planner may instead walk the whole key in the list's order
    and keep the rows the subquery returns (29,050 rows read for a page of 51 of a plant's 673)."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def _matches_of_plants(plant_ids) -> InArray:
    """The condition of the matches the plants request or source: their ids from two indexed lookups (an
    OR across the join to the requests would scan every match)."""
    as_requester = Match.objects.filter(request__plant_id__in=plant_ids).values("pk")
    as_source = Match.objects.filter(source_plant_id__in=plant_ids).values("pk")
    return InArray(F("pk"), as_requester.union(as_source))


# Admin dashboard: the review workload and where the shortages are.


def stock_matches_holding_reservations() -> QuerySet:
    """Stock matches whose units are reserved in the source's store: accepted, or shipped before shipping
    moved units out (those leave at receipt); units shipped since left the store with their reservation."""
    return Match.objects.filter(source=Match.Source.STOCK, status__in=RESERVING_STATUSES, quantity_shipped=0)


def units_in_transit() -> ExpressionWrapper:
    """A match's ``quantity_in_transit`` as a database expression, to filter and aggregate on."""
    return ExpressionWrapper(
        F("quantity_shipped") - F("quantity_received") - F("quantity_lost") - F("quantity_returned"),
        output_field=IntegerField(),
    )


def matches_with_discrepancy() -> QuerySet:
    """Fulfilled or cancelled matches with units shipped and neither received nor resolved."""
    return (
        Match.objects.annotate(in_transit=units_in_transit())
        .filter(in_transit__gt=0)
        .exclude(status=Match.Status.SHIPPED)
    )


def match_of_source(*, part_request: PartRequest, stock_item=None, capability=None) -> Match | None:
    """The request's match from this stock item, or from the capability's plant as a maker: one per source."""
    if stock_item is not None:
        key = {"stock_item": stock_item}
    elif capability is not None:
        key = {"source_plant_id": capability.plant_id, "source": Match.Source.FABRICATION}
    else:
        return None
    return Match.objects.filter(request=part_request, **key).first()


def open_requests_by_criticality() -> dict[str, int]:
    """Open requests per criticality, every criticality present (zero where none)."""
    counts = dict(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN)
        .values_list("criticality")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {criticality: counts.get(criticality, 0) for criticality in Criticality.values}


def open_stopped_downtime() -> dict:
    """What open shortages with production stopped have cost so far: ``usd`` (days × the cost of a day,
    where both are given), how many are ``stopped`` and how many of them state ``no_cost``."""
    today = timezone.localdate()
    figures = PartRequest.objects.filter(
        status=PartRequest.Status.OPEN, criticality=Criticality.PRODUCTION_STOPPED
    ).aggregate(
        usd=Sum(downtime_cost_so_far(today)),
        stopped=Count("id"),
        no_cost=Count("id", filter=Q(downtime_usd_per_day__isnull=True) | Q(stopped_since__isnull=True)),
    )
    return {**figures, "usd": figures["usd"] or Decimal(0)}


def proposals_awaiting_review() -> dict:
    """How many matches wait for an administrator, and since when the oldest has waited."""
    return Match.objects.filter(status=Match.Status.PROPOSED).aggregate(count=Count("id"), oldest=Min("created_at"))


# The review queue's order, SPEC "Urgency": production stopped first, then degraded, then preventive; within
# each, the line stopped longest first, then the oldest proposal, then the best score.
REVIEW_QUEUE_TIEBREAK = ("created_at", "-score", "-pk")


def review_queue_ordering() -> list:
    """The queue's order on a queryset annotated with ``urgency`` and ``downtime_weight`` (MatchAdmin's)."""
    return ["urgency", "-downtime_weight", *REVIEW_QUEUE_TIEBREAK]


def review_queue_slice(matches: QuerySet, start: int, stop: int) -> list[Match]:
    """Rows ``start`` to ``stop`` of ``matches`` in the review queue's order, one urgency group at a time
    (urgency.slice_in_urgency_order): each group read in the order of match_proposed_queue_idx."""
    return slice_in_urgency_order(
        matches, start, stop, today=timezone.localdate(), tiebreak=REVIEW_QUEUE_TIEBREAK, prefix="request__"
    )


def states_with_most_open_requests(limit: int = 10) -> list[dict]:
    return list(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN)
        .values(state=F("plant__state"))
        .annotate(count=Count("id"))
        .order_by("-count", "state")[:limit]
    )


# The web pages' reads: each page's rows in a fixed number of queries, whatever their number.


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


# The columns a shortage's line on the pages writes (web/includes/request_line.html, the home's), and its
# best source's: the other columns, dates and JSON among them, cost the time of reading them and nothing else.
REQUEST_LINE_FIELDS = (
    "part__name",
    "number",
    "description",
    "quantity",
    "quantity_fulfilled",
    "criticality",
    "needed_by",
    "status",
)
BEST_SOURCE_FIELDS = ("source", "status", "quantity", "explanation", "source_plant__name")


def plant_part_requests(*, plant_id: int, status: str, today, start: int, stop: int) -> list[PartRequest]:
    """Rows ``start`` to ``stop`` of a plant's requests of one status, most urgent first, each with
    ``best_source``. Two queries."""
    requests = (
        PartRequest.objects.filter(plant_id=plant_id, status=status)
        .select_related("part")
        .only(*REQUEST_LINE_FIELDS)
        .order_by(*by_urgency(today), F("needed_by").asc(nulls_last=True), "-pk")
    )
    return _with_best_source(requests, start, stop)


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
    """The user's notifications, unread first, then newest; each renders its text with no further query, and
    only that: the rows carry the columns of Notification.text and of the pages' list, no more."""
    if not user or not user.is_authenticated:
        return Notification.objects.none()
    notifications = (
        Notification.objects.filter(user=user)
        .select_related("request__part", "match__source_plant")
        .only(
            "user_id",
            "plant_id",
            "kind",
            "details",
            "read_at",
            "at",
            "request__part__name",
            "request__number",
            "request__description",
            "match__source_plant__name",
        )
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


class Step(NamedTuple):
    """One of the plant's next steps on a match: the statuses it is taken in, and whether the match must
    be quoted for it (None: either way)."""

    waiting_for: str
    statuses: tuple[str, ...]
    quoted: bool | None = None

    def condition(self) -> Q:
        if self.quoted is None:
            return Q(status__in=self.statuses)
        return Q(status__in=self.statuses, quote_price__isnull=not self.quoted)

    def is_due(self, match: Match) -> bool:
        return match.status in self.statuses and (self.quoted is None or self.quoted == (match.quote_price is not None))


# The plant's next step on a match, by its side: as the requester it accepts approved, quoted sources and
# receives accepted or shipped units; as the source it quotes proposals and approvals not yet quoted, and
# ships what was accepted.
REQUESTER_STEPS = (
    Step(WaitingFor.ACCEPT, (Match.Status.APPROVED,), quoted=True),
    Step(WaitingFor.RECEIVE, (Match.Status.ACCEPTED, Match.Status.SHIPPED)),
)
SOURCE_STEPS = (
    Step(WaitingFor.QUOTE, (Match.Status.PROPOSED, Match.Status.APPROVED), quoted=False),
    Step(WaitingFor.SHIP, (Match.Status.ACCEPTED,)),
)


def matches_waiting_for_plant(plant_id: int, *, limit: int = 25) -> list[Match]:
    """The matches on which the plant has the next step, each with ``waiting_for``; most urgent request first.

    One query: the first ``limit`` ids are chosen on the few columns that order them (a shop may wait on a
    thousand matches), and only those rows are joined to their request, part and plants, in the columns the
    home writes. Each row's step is then told apart in Python, by the same steps (a CASE of them cost more
    to compile than the query took to run).
    """
    # Each side's ids from its own index, narrowed to its steps (an OR across the join would scan every match).
    waiting = InArray(
        F("pk"),
        Match.objects.filter(_any_of(REQUESTER_STEPS), request__plant_id=plant_id)
        .values("pk")
        .union(Match.objects.filter(_any_of(SOURCE_STEPS), source_plant_id=plant_id).values("pk")),
    )
    order = (*by_urgency(timezone.localdate(), "request__"), "request__needed_by", "created_at", "pk")
    first = Match.objects.filter(waiting).order_by(*order).values("pk")[:limit]
    matches = list(
        Match.objects.filter(pk__in=first)
        .select_related("request__part", "request__plant", "source_plant")
        .only(
            "status",
            "quantity",
            "quote_price",
            "request__number",
            "request__description",
            "request__criticality",
            "request__part__name",
            "request__plant__name",
            "source_plant__name",
        )
        .order_by(*order)
    )
    for match in matches:
        steps = (REQUESTER_STEPS if match.request.plant_id == plant_id else ()) + (
            SOURCE_STEPS if match.source_plant_id == plant_id else ()
        )
        match.waiting_for = next(step.waiting_for for step in steps if step.is_due(match))
    return matches


def _any_of(steps: tuple[Step, ...]) -> Q:
    return reduce(operator.or_, (step.condition() for step in steps))


def open_requests_with_best_source(plant_id: int, *, limit: int = 25) -> list[PartRequest]:
    """The plant's open shortages, most urgent first, each with ``best_source``."""
    requests = (
        PartRequest.objects.filter(plant_id=plant_id, status=PartRequest.Status.OPEN)
        .select_related("part")
        .only(*REQUEST_LINE_FIELDS)
        .order_by(*by_urgency(timezone.localdate()), F("needed_by").asc(nulls_last=True), "created_at", "pk")
    )
    return _with_best_source(requests, 0, limit)


def _with_best_source(requests: QuerySet, start: int, stop: int) -> list[PartRequest]:
    """Rows ``start`` to ``stop`` of the requests, each with ``best_source``: its best live match (its
    source plant loaded) or None. Two queries: the requests' other matches are never read."""
    best = Match.objects.filter(request=OuterRef("pk"), status__in=LIVE_MATCH_STATUSES).order_by("-score", "pk")
    requests = list(requests.annotate(best_source_id=Subquery(best.values("pk")[:1]))[start:stop])
    sources = (
        Match.objects.select_related("source_plant")
        .only(*BEST_SOURCE_FIELDS)
        .in_bulk([request.best_source_id for request in requests if request.best_source_id])
    )
    for request in requests:
        request.best_source = sources.get(request.best_source_id)
    return requests


def plant_figures(plant_id: int) -> dict:
    """The plant's shortages open and served, and what its fulfilled matches saved (exchange.savings)."""
    requests = PartRequest.objects.filter(plant_id=plant_id).aggregate(
        open=Count("id", filter=Q(status=PartRequest.Status.OPEN)),
        fulfilled=Count("id", filter=Q(status=PartRequest.Status.FULFILLED)),
    )
    return {**requests, **savings.savings_totals(savings.fulfilled_matches(plant_id=plant_id))}


def match_ids_visible_to(user, match_ids) -> set[int]:
    """Those of ``match_ids`` the user may open (a ledger row links its match only then)."""
    match_ids = {pk for pk in match_ids if pk}
    if not match_ids:
        return set()
    return set(matches_visible_to(user).filter(pk__in=match_ids).values_list("pk", flat=True))


# The web pages: the board of open shortages, offers, and what a workshop fits.


# Open requests of the same urgency, the oldest first.
OPEN_REQUESTS_TIEBREAK = ("created_at", "id")


def open_requests_by_urgency() -> QuerySet:
    """Open requests, most urgent first (SPEC "Urgency", exchange/urgency.py), then the oldest."""
    return PartRequest.objects.filter(status=PartRequest.Status.OPEN).order_by(
        *by_urgency(timezone.localdate()), *OPEN_REQUESTS_TIEBREAK
    )


def open_requests_slice(requests: QuerySet, start: int, stop: int) -> list[PartRequest]:
    """Rows ``start`` to ``stop`` of ``requests`` (open_requests_by_urgency, narrowed) in its order, one
    urgency group at a time (urgency.slice_in_urgency_order), each read on request_open_urgency_idx."""
    return slice_in_urgency_order(requests, start, stop, today=timezone.localdate(), tiebreak=OPEN_REQUESTS_TIEBREAK)


# The columns of a line of the board (web/templates/web/shops/board_line.html and the distance to its plant).
BOARD_LINE_FIELDS = (
    *REQUEST_LINE_FIELDS,
    "created_at",
    "plant__name",
    "plant__state",
    "plant__latitude",
    "plant__longitude",
)


def board_requests(*, q: str = "", process: str = "", state: str = "", criticality: str = "") -> QuerySet:
    """The board: open requests of the whole country, most urgent first, narrowed by the filters given.

    ``q`` is a part number in any brand (the part it names and every part sharing one of its
    numbers) or words, each found in the part's name, the request's description or its number as
    written.
    """
    requests = open_requests_by_urgency().select_related("plant", "part").only(*BOARD_LINE_FIELDS)
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


def fitting_workshop(capabilities: list[Capability]) -> Q:
    """The condition on open requests that the engine would propose a workshop for: ``capabilities``
    are one plant's (plant_capabilities). One query (engine.reads.requests_a_workshop_can_make)."""
    return requests_a_workshop_can_make([capability_candidate(capability) for capability in capabilities])


class OfferSource(NamedTuple):
    """One of a plant's stock items or capabilities, and why it cannot be offered on a request (if so)."""

    source: StockItem | Capability
    failures: tuple[str, ...]
    missing_processes: tuple[str, ...] = ()


def offer_sources(*, part_request: PartRequest, plant_id: int) -> tuple[list[OfferSource], list[OfferSource]]:
    """The plant's stock items and capabilities for an offer on the request, each with the conditions
    it fails (none: it can be offered), by the engine's rules. Five queries.

    Stock must be of the requested part or share one of its numbers, with exchangeable units
    available. A workshop must serve every process the request needs (engine.rules.workshop_failures);
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
    for that need the capability (fitting_workshop), most urgent first. Three queries, whatever the
    number of open requests: the lists of processes they name; over the requests that fit, the
    first few of each list and its count (window functions over their keys); those few whole.

    A capability's requests are those of the lists naming its process, so its count is the sum of
    theirs and its first few are among their first few."""
    capability_of = {capability.process: capability.pk for capability in capabilities}
    counts = dict.fromkeys(capability_of.values(), 0)
    firsts = {capability_id: [] for capability_id in capability_of.values()}
    requests = open_requests_by_urgency().filter(fitting_workshop(capabilities))
    # Each list by its text, which PostgreSQL sorts in about half the time it takes over jsonb.
    each_list = [Cast("processes", TextField())]
    # Within each list, the board's own order.
    place_in_list = Window(RowNumber(), partition_by=each_list, order_by=list(requests.query.order_by))
    rows = list(
        requests.annotate(requests_in_list=Window(Count("pk"), partition_by=each_list), place=place_in_list)
        .filter(place__lte=first)
        .values_list("pk", "processes", "requests_in_list", "place")
    )
    shown = PartRequest.objects.select_related("part", "plant").in_bulk([row[0] for row in rows]) if rows else {}
    for request_id, processes, requests_in_list, place in rows:
        for process in set(processes):
            capability_id = capability_of[process]
            if place == 1:
                counts[capability_id] += requests_in_list
            if len(firsts[capability_id]) < first:
                firsts[capability_id].append(shown[request_id])
    return {capability_id: CapabilityFits(counts[capability_id], firsts[capability_id]) for capability_id in counts}
