"""Reads of import clearances and of what the exchange did for each plant (SPEC "Import clearance").

``/transparency/``, ``/verify/<serial>/``, the clearance API and ``/api/stats/`` read their figures here:
each figure has this one definition.
"""

import statistics
from typing import NamedTuple

from django.db.models import Count, Min, Q, QuerySet

from inventory import access
from inventory.models import Plant

from .clearances import clearance_digest, outcome_reason
from .models import Clearance, Match, MatchStatusChange, PartRequest


def clearances_visible_to(user) -> QuerySet:
    """Every granted clearance (they are public), those of the user's plants, and all for administrators."""
    clearances = Clearance.objects.select_related("request__plant")
    if access.is_administrator(user):
        return clearances
    return clearances.filter(
        Q(status=Clearance.Status.GRANTED) | Q(request__plant_id__in=access.plant_ids_acted_for(user))
    )


def clearance_by_serial(serial: str) -> Clearance | None:
    return Clearance.objects.filter(serial=serial.strip().upper()).first()


def _plants_filtered(prefix: str, state: str, sector: str) -> Q:
    condition = Q()
    if state:
        condition &= Q(**{f"{prefix}state": state})
    if sector:
        condition &= Q(**{f"{prefix}sector": sector})
    return condition


def granted_clearances(*, state: str = "", sector: str = "", limit: int = 200) -> list[Clearance]:
    return list(
        Clearance.objects.filter(_plants_filtered("request__plant__", state, sector), status=Clearance.Status.GRANTED)
        .select_related("request__plant")
        .order_by("-granted_at", "-id")[:limit]
    )


class DeclinedSource(NamedTuple):
    match_id: int
    request_id: int
    requester: str
    source: str
    reason: str
    declined_at: object


def declined_sources(*, state: str = "", sector: str = "", limit: int = 200) -> list[DeclinedSource]:
    """Domestic sources a plant declined, with the reason it gave, newest first.

    Declines made by a person only: closing a request declines its waiting sources with no one acting.
    """
    changes = (
        MatchStatusChange.objects.filter(
            _plants_filtered("match__request__plant__", state, sector),
            to_status=Match.Status.DECLINED,
            match__status=Match.Status.DECLINED,
            user__isnull=False,
        )
        .select_related("match__request__plant", "match__source_plant")
        .prefetch_related("match__history")
        .order_by("-at", "-id")[:limit]
    )
    return [
        DeclinedSource(
            match_id=change.match_id,
            request_id=change.match.request_id,
            requester=change.match.request.plant.name,
            source=change.match.source_plant.name,
            reason=outcome_reason(change.match),
            declined_at=change.at,
        )
        for change in changes
    ]


class PlantFigures(NamedTuple):
    plant_id: int
    plant: str
    state: str
    sector: str
    shortages_posted: int
    served_at_home: int
    cleared_for_import: int
    # Days from posting a shortage to the first units received from a domestic source; None when none was served.
    median_days_to_domestic_source: float | None


def plant_figures_table(*, state: str = "", sector: str = "") -> list[PlantFigures]:
    """Each plant that posted a shortage: how many, how many served at home, how many cleared. Two queries."""
    plants = (
        Plant.objects.filter(_plants_filtered("", state, sector))
        .annotate(
            shortages_posted=Count("part_requests", distinct=True),
            cleared_for_import=Count(
                "part_requests", distinct=True, filter=Q(part_requests__status=PartRequest.Status.CLEARED)
            ),
        )
        .filter(shortages_posted__gt=0)
        .order_by("name")
    )
    first_receipts = (
        PartRequest.objects.filter(_plants_filtered("plant__", state, sector), matches__status=Match.Status.FULFILLED)
        .annotate(first_received=Min("matches__fulfilled_at"))
        .values_list("plant_id", "created_at", "first_received")
    )
    days_by_plant = {}
    for plant_id, created_at, first_received in first_receipts:
        days_by_plant.setdefault(plant_id, []).append((first_received - created_at).total_seconds() / 86400)
    return [
        PlantFigures(
            plant_id=plant.pk,
            plant=plant.name,
            state=plant.state,
            sector=plant.sector,
            shortages_posted=plant.shortages_posted,
            served_at_home=len(days_by_plant.get(plant.pk, [])),
            cleared_for_import=plant.cleared_for_import,
            median_days_to_domestic_source=(
                round(statistics.median(days_by_plant[plant.pk]), 1) if plant.pk in days_by_plant else None
            ),
        )
        for plant in plants
    ]


def plant_sectors() -> list[str]:
    """The sectors of the plants, for a filter's choices (the plant table is small)."""
    return list(Plant.objects.exclude(sector="").order_by("sector").values_list("sector", flat=True).distinct())


class Verification(NamedTuple):
    """What /verify/<serial>/ says of a serial: ``state`` is unknown, asked, refused, expired or valid."""

    serial: str
    state: str
    clearance: Clearance | None
    digest_matches: bool


def clearance_verification(serial: str, today) -> Verification:
    clearance = clearance_by_serial(serial)
    if clearance is None:
        return Verification(serial, "unknown", None, False)
    if clearance.status != Clearance.Status.GRANTED:
        return Verification(clearance.serial, clearance.status, clearance, False)
    state = "valid" if clearance.is_valid_on(today) else "expired"
    return Verification(clearance.serial, state, clearance, clearance_digest(clearance) == clearance.digest)
