"""Reads of the exchange outside the engine (exchange.engine.reads): visibility and the dashboard."""

from django.db.models import Count, F, Min, Q, QuerySet

from inventory.selectors import plant_ids_for_user

from .models import Criticality, Match, PartRequest


def matches_visible_to(user) -> QuerySet:
    matches = Match.objects.all()
    if user.is_staff:
        return matches
    plant_ids = plant_ids_for_user(user)
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
