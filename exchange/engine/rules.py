"""The matching rules: hard conditions and the ranking score.

Pure functions over plain candidates that exchange.engine.reads fetched: no ORM
and no model here, not even for a label (the caller passes the labels), so the
rules are tested without a database and the queries that feed them are in one
place to make fast. The reads narrow candidates in SQL with these same hard
conditions; tests/exchange/engine/test_reads.py holds the two equal.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from inventory.processes import MATERIAL_INDEPENDENT_PROCESSES

EARTH_RADIUS_KM = 6371.0
CONDITION_FACTOR = {"new": 1.0, "refurbished": 0.85, "used": 0.7}
FIT_SAME_PART = 1.0
FIT_CROSS_REFERENCE = 0.9
FIT_FABRICATION = 0.6
# Days for stock to reach the requester: the ranking needs a figure to compare with fabrication.
STOCK_LEAD_TIME_DAYS = 3


@dataclass(frozen=True)
class RequestSpec:
    part_id: int | None
    quantity: int
    plant_id: int
    latitude: float | None
    longitude: float | None
    needed_by: date | None = None
    material_id: int | None = None
    processes: tuple[str, ...] = ()
    diameter_mm: Decimal | None = None
    length_mm: Decimal | None = None
    weight_kg: Decimal | None = None
    it_grade: int | None = None


@dataclass(frozen=True)
class SourceRecord:
    fulfilled: int = 0
    cancelled: int = 0


# Candidates are built by the thousand per sweep: named tuples are immutable and cheap to create.
class StockCandidate(NamedTuple):
    stock_item_id: int
    part_id: int
    plant_id: int
    quantity_available: int
    condition: str
    exchangeable: bool
    latitude: float | None
    longitude: float | None


class CapabilityCandidate(NamedTuple):
    capability_id: int
    plant_id: int
    process: str
    material_ids: frozenset[int]
    max_diameter_mm: Decimal | None
    max_length_mm: Decimal | None
    max_weight_kg: Decimal | None
    best_it_grade: int | None
    lead_time_days: int
    latitude: float | None
    longitude: float | None


class Labels(NamedTuple):
    """The words a summary uses for codes, by code: the models' choices, passed in by the caller."""

    conditions: Mapping[str, str]
    processes: Mapping[str, str]


@dataclass
class Proposal:
    source: str
    plant_id: int
    quantity: int
    score: float
    distance_km: float | None
    explanation: dict
    stock_item_id: int | None = None
    capability_id: int | None = None

    @property
    def key(self):
        return source_key(self.source, self.stock_item_id, self.plant_id)


def source_key(source: str, stock_item_id: int | None, plant_id: int) -> tuple:
    """What makes a source one: a stock item, or a plant's workshop (one match per request and source)."""
    return (source, stock_item_id if source == "stock" else plant_id)


def great_circle_km(lat1, lon1, lat2, lon2) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# Hard conditions


# Why a stock item cannot serve a request: not the part nor one sharing its numbers (the reads decide), or
# no exchangeable units (stock_is_feasible).
WRONG_PART = "wrong_part"
NO_UNITS = "no_units"


def stock_is_feasible(candidate: StockCandidate) -> bool:
    return candidate.exchangeable and candidate.quantity_available > 0


# The hard conditions by name, so that a page can say which one a source fails.
PROCESS_NOT_NEEDED = "process_not_needed"
MATERIAL_NOT_HANDLED = "material_not_handled"
TOO_LARGE = "too_large"
PROCESS_MISSING = "process_missing"
IT_GRADE_NOT_REACHED = "it_grade_not_reached"


def capability_failures(spec: RequestSpec, capability: CapabilityCandidate) -> tuple[str, ...]:
    """The conditions one capability fails for this part: its process, the material, the envelope."""
    failed = []
    if capability.process not in spec.processes:
        failed.append(PROCESS_NOT_NEEDED)
    if (
        spec.material_id is not None
        and capability.process not in MATERIAL_INDEPENDENT_PROCESSES
        and spec.material_id not in capability.material_ids
    ):
        failed.append(MATERIAL_NOT_HANDLED)
    for needed, limit in (
        (spec.diameter_mm, capability.max_diameter_mm),
        (spec.length_mm, capability.max_length_mm),
        (spec.weight_kg, capability.max_weight_kg),
    ):
        if needed is not None and limit is not None and needed > limit:
            failed.append(TOO_LARGE)
            break
    return tuple(failed)


def capability_serves(spec: RequestSpec, capability: CapabilityCandidate) -> bool:
    """Whether one capability can do its process on this part: material and envelope."""
    return not capability_failures(spec, capability)


def fabricator_capabilities(
    spec: RequestSpec, capabilities: list[CapabilityCandidate]
) -> list[CapabilityCandidate] | None:
    """One plant's capabilities that together make the part, or None if they cannot.

    Every required process must be covered, and the tightest IT grade among
    them (the finishing process) must meet the part's grade.
    """
    if not spec.processes:
        return None
    by_process = _serving_by_process(spec, capabilities)
    if set(by_process) != set(spec.processes):
        return None
    chosen = [by_process[process] for process in spec.processes]
    if not _grade_reached(spec, chosen):
        return None
    return chosen


class WorkshopFailures(NamedTuple):
    """Why one plant's capabilities cannot make a part together (fabricator_capabilities's None)."""

    missing_processes: tuple[str, ...]
    it_grade_not_reached: bool
    by_capability: dict[int, tuple[str, ...]]


def workshop_failures(spec: RequestSpec, capabilities: list[CapabilityCandidate]) -> WorkshopFailures:
    """Each hard condition of fabricator_capabilities, evaluated on its own, for one plant's capabilities.

    Nothing fails for a part that names no process: the engine proposes no workshop for it, and
    nothing stated can be checked.
    """
    by_capability = {c.capability_id: capability_failures(spec, c) for c in capabilities} if spec.processes else {}
    by_process = _serving_by_process(spec, capabilities)
    missing = tuple(process for process in spec.processes if process not in by_process)
    grade_failed = not missing and bool(spec.processes) and not _grade_reached(spec, list(by_process.values()))
    return WorkshopFailures(missing, grade_failed, by_capability)


def _serving_by_process(spec, capabilities) -> dict[str, CapabilityCandidate]:
    # The tightest serving capability of each needed process.
    by_process = {}
    for capability in capabilities:
        if capability_serves(spec, capability):
            current = by_process.get(capability.process)
            if current is None or _grade(capability) < _grade(current):
                by_process[capability.process] = capability
    return by_process


def _grade_reached(spec, chosen) -> bool:
    return spec.it_grade is None or min(_grade(capability) for capability in chosen) <= spec.it_grade


def _grade(capability: CapabilityCandidate) -> int:
    # A capability that states no grade cannot be shown to hold any tolerance.
    return capability.best_it_grade if capability.best_it_grade is not None else 99


# Ranking


def distance_score(distance_km: float | None, half_km: float) -> float:
    if distance_km is None:
        return 0.25
    return 1.0 / (1.0 + distance_km / half_km)


def lead_time_score(lead_time_days: int, needed_by: date | None, today: date) -> float:
    if needed_by is None:
        return 1.0 / (1.0 + lead_time_days / 30.0)
    days_left = (needed_by - today).days
    if lead_time_days <= days_left:
        return 1.0
    late_by = lead_time_days - max(days_left, 0)
    return max(0.0, 1.0 - late_by / 30.0) * 0.5


def record_score(record: SourceRecord) -> float:
    # Laplace smoothing: a source with no history starts at one half.
    return (record.fulfilled + 1) / (record.fulfilled + record.cancelled + 2)


def rank(
    spec: RequestSpec,
    stock: list[StockCandidate],
    capabilities: list[CapabilityCandidate],
    records: dict[int, SourceRecord],
    *,
    weights: dict[str, float],
    distance_half_km: float,
    today: date,
    top_n: int,
    labels: Labels,
) -> list[Proposal]:
    """Feasible sources for the request, best first, each with its explanation.

    Every feasible candidate is scored, but a Proposal and its explanation (translated
    text, the costliest part) are built only for the top_n kept: a popular part has
    hundreds of candidates and the sweep ranks every open request.
    """
    scoring = _Scoring(spec, records, weights, distance_half_km, today, labels)
    options = [scoring.stock_option(candidate) for candidate in stock if stock_is_feasible(candidate)]

    by_plant: dict[int, list[CapabilityCandidate]] = {}
    for capability in capabilities:
        by_plant.setdefault(capability.plant_id, []).append(capability)
    for plant_capabilities in by_plant.values():
        chosen = fabricator_capabilities(spec, plant_capabilities)
        if chosen:
            options.append(scoring.fabrication_option(chosen))

    options.sort(key=itemgetter(0))
    return [build(*arguments) for _order, build, arguments in options[:top_n]]


class _Scoring:
    """The request's constants, computed once per ranking rather than per candidate."""

    def __init__(self, spec, records, weights, distance_half_km, today, labels):
        self.spec, self.records, self.weights, self.labels = spec, records, weights, labels
        self.distance_half_km, self.today = distance_half_km, today
        total_weight = sum(weights.values())
        self.shares = [(name, weight / total_weight) for name, weight in weights.items()]
        self.stock_lead_time = lead_time_score(STOCK_LEAD_TIME_DAYS, spec.needed_by, today)

    def score(self, parts: dict[str, float]) -> float:
        return round(min(1.0, max(0.0, sum(share * parts[name] for name, share in self.shares))), 4)

    def stock_option(self, candidate):
        spec = self.spec
        same_part = candidate.part_id == spec.part_id
        distance_km = great_circle_km(spec.latitude, spec.longitude, candidate.latitude, candidate.longitude)
        quantity = min(candidate.quantity_available, spec.quantity)
        record = self.records.get(candidate.plant_id, NO_RECORD)
        parts = {
            "fit": (FIT_SAME_PART if same_part else FIT_CROSS_REFERENCE)
            * CONDITION_FACTOR.get(candidate.condition, 0.7),
            "distance": distance_score(distance_km, self.distance_half_km),
            "lead_time": self.stock_lead_time,
            "record": record_score(record),
            "coverage": quantity / spec.quantity,
        }
        score, rounded_km = self.score(parts), _round_km(distance_km)
        order = (-score, rounded_km or 0, "stock", candidate.stock_item_id)
        arguments = (spec, candidate, same_part, quantity, score, distance_km, parts, record, self.weights, self.labels)
        return order, _stock_proposal, arguments

    def fabrication_option(self, chosen):
        spec, first = self.spec, chosen[0]
        distance_km = great_circle_km(spec.latitude, spec.longitude, first.latitude, first.longitude)
        lead_time_days = max(capability.lead_time_days for capability in chosen)
        record = self.records.get(first.plant_id, NO_RECORD)
        parts = {
            "fit": FIT_FABRICATION,
            "distance": distance_score(distance_km, self.distance_half_km),
            "lead_time": lead_time_score(lead_time_days, spec.needed_by, self.today),
            "record": record_score(record),
            "coverage": 1.0,
        }
        score, rounded_km = self.score(parts), _round_km(distance_km)
        order = (-score, rounded_km or 0, "fabrication", first.plant_id)
        arguments = (spec, chosen, score, distance_km, lead_time_days, parts, record, self.weights, self.labels)
        return order, _fabrication_proposal, arguments


NO_RECORD = SourceRecord()


def _stock_proposal(spec, candidate, same_part, quantity, score, distance_km, parts, record, weights, labels):
    how = _("same part") if same_part else _("cross-referenced number")
    if candidate.plant_id == spec.plant_id:
        summary = _("In your own store (%(how)s, %(condition)s): %(quantity)d of %(needed)d units.")
    else:
        summary = _("In stock %(distance)s away (%(how)s, %(condition)s): %(quantity)d of %(needed)d units.")
    summary %= {
        "how": how,
        "condition": labels.conditions[candidate.condition].lower(),
        "quantity": quantity,
        "needed": spec.quantity,
        "distance": _format_km(distance_km),
    }
    return Proposal(
        source="stock",
        plant_id=candidate.plant_id,
        stock_item_id=candidate.stock_item_id,
        quantity=quantity,
        score=score,
        distance_km=_round_km(distance_km),
        explanation=_explanation(summary, parts, weights, distance_km, STOCK_LEAD_TIME_DAYS, record)
        | {"fit": "same_part" if same_part else "cross_reference", "condition": candidate.condition},
    )


def _fabrication_proposal(spec, chosen, score, distance_km, lead_time_days, parts, record, weights, labels):
    first = chosen[0]
    finishing = min(chosen, key=_grade)
    summary = _("Can make or repair it %(distance)s away (%(processes)s), in about %(days)d days.") % {
        "distance": _format_km(distance_km),
        "processes": ", ".join(str(labels.processes[capability.process]) for capability in chosen),
        "days": lead_time_days,
    }
    return Proposal(
        source="fabrication",
        plant_id=first.plant_id,
        capability_id=finishing.capability_id,
        quantity=spec.quantity,
        score=score,
        distance_km=_round_km(distance_km),
        explanation=_explanation(summary, parts, weights, distance_km, lead_time_days, record)
        | {"fit": "fabrication", "capabilities": [capability.capability_id for capability in chosen]},
    )


def _explanation(summary, parts, weights, distance_km, lead_time_days, record):
    return {
        "summary": summary,
        "parts": {name: round(value, 4) for name, value in parts.items()},
        "weights": dict(weights),
        "distance_km": _round_km(distance_km),
        "lead_time_days": lead_time_days,
        "record": {"fulfilled": record.fulfilled, "cancelled": record.cancelled},
    }


def _round_km(distance_km):
    return None if distance_km is None else round(distance_km, 1)


def _format_km(distance_km):
    return (
        _("an unknown distance")
        if distance_km is None
        else f"{number_format(round(distance_km), force_grouping=True)} km"
    )
