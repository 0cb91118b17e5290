"""Reads of the exchange outside the engine (exchange.engine.reads): visibility, the dashboard, the pages."""

from datetime import date

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

from .models import Criticality, Match, MatchStatusChange, Notification, PartRequest, RequestStatusChange
from .transitions import OPEN_STATUSES


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
