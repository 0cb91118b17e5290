"""A run of the engine: read the requests and their candidates, rank them, write the proposals.

The periodic sweep and reverse matching choose which requests to run here, in batches.
"""

from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from exchange.models import Match, MatchStatusChange, PartRequest
from inventory.models import Capability, StockItem
from inventory.processes import Process

from . import reads, rules, sql

LABELS = rules.Labels(conditions=dict(StockItem.Condition.choices), processes=dict(Process.choices))
# How many open requests one reverse-matching run re-matches; the periodic sweep covers the rest.
REVERSE_MATCH_LIMIT = 500
# Requests matched per transaction: large enough to share the round trips, small enough
# that a request a user is editing waits for its lock well under a second.
MATCH_BATCH = 100


def part_request_match(*, part_request_id: int, today: date | None = None) -> int:
    """Run the engine for one request: create, refresh or withdraw its proposals; how many are open. Idempotent."""
    return part_requests_match(part_request_ids=[part_request_id], today=today).get(part_request_id, 0)


def part_requests_match(
    *, part_request_ids, today: date | None = None, capability_index: reads.CapabilityIndex | None = None
) -> dict[int, int]:
    """Run the engine for a batch of requests in one transaction; the number of open proposals of each.

    Reads and writes are shared by the batch (one query each for the requests,
    the stock of every requested part, the records, the existing matches and
    each kind of write), so the periodic sweep re-matches many requests per
    round trip.
    A caller matching many batches may pass one capability index for all of them.
    Requests that are no longer open are skipped.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        specs = reads.open_request_specs(part_request_ids)
        if not specs:
            return {}
        stock = reads.stock_candidates_for_parts({spec.part_id for spec in specs.values() if spec.part_id})
        capabilities = reads.capability_candidates_for_specs(specs, capability_index)
        plant_ids = {c.plant_id for candidates in stock.values() for c in candidates}
        plant_ids |= {c.plant_id for candidates in capabilities.values() for c in candidates}
        records = reads.source_records(plant_ids)
        proposals = {
            request_id: rules.rank(
                spec,
                stock.get(spec.part_id, []),
                capabilities[request_id],
                records,
                weights=settings.MATCHING_WEIGHTS,
                distance_half_km=settings.MATCHING_DISTANCE_HALF_KM,
                today=today,
                top_n=settings.MATCHING_TOP_N,
                labels=LABELS,
            )
            for request_id, spec in specs.items()
        }
        return _save_proposals(proposals)


def _save_proposals(proposals_by_request) -> dict[int, int]:
    """Create new proposals, refresh open ones, withdraw the rest; writes only what changed.

    Answers the number of open proposals of each request.
    """
    existing_by_request = {}
    for match in reads.stored_matches(list(proposals_by_request)):
        existing_by_request.setdefault(match.request_id, {})[match.key] = match
    now = timezone.now()
    to_create, to_update, withdrawn, open_counts = [], [], [], {}
    for request_id, proposals in proposals_by_request.items():
        existing = existing_by_request.get(request_id, {})
        open_counts[request_id] = 0
        for proposal in proposals:
            match = existing.pop(proposal.key, None)
            if match is None:
                to_create.append((request_id, proposal))
            elif match.status != Match.Status.PROPOSED:
                continue
            elif (refreshed := _refreshed_proposal(match, proposal, now)) is not None:
                to_update.append(refreshed)
            open_counts[request_id] += 1
        # Engine proposals nobody reviewed or quoted that are no longer among the best: withdraw them.
        withdrawn += [
            match.id
            for match in existing.values()
            if match.origin == Match.Origin.ENGINE and match.status == Match.Status.PROPOSED and not match.quoted
        ]
    if withdrawn:
        Match.objects.filter(pk__in=withdrawn).delete()
    if to_update:
        Match.objects.bulk_update(to_update, ["score", "explanation", "distance_km", "quantity", "updated_at"])
    created_ids = _create_proposals(to_create, list(proposals_by_request), now)
    if created_ids:
        _notify_requesters_after_commit(created_ids)
    return open_counts


def _notify_requesters_after_commit(match_ids) -> None:
    # exchange.tasks imports the engine for its own tasks: imported here, the two modules load in either order.
    from exchange.tasks import notify_proposals, publish

    transaction.on_commit(lambda: publish(notify_proposals, match_ids))


# The Match fields the engine sets from each proposal, and the Proposal attribute each takes.
PROPOSAL_FIELDS = {
    "source": "source",
    "stock_item": "stock_item_id",
    "capability": "capability_id",
    "source_plant": "plant_id",
    "score": "score",
    "explanation": "explanation",
    "distance_km": "distance_km",
    "quantity": "quantity",
}


def _create_proposals(proposals, matched_request_ids, now) -> list[int]:
    """Insert the engine's new proposals with their first history entry, and stamp the requests matched.

    Answers the new proposals' ids.

    Written as SQL (exchange/engine/sql.py): bulk_create prepares every field of every instance in
    Python, which took longer than the database's own work on a request's proposals.
    """
    names = ("request", *PROPOSAL_FIELDS)
    rows = [
        (request_id, *(getattr(proposal, attribute) for attribute in PROPOSAL_FIELDS.values()))
        for request_id, proposal in proposals
    ]
    new_match = Match(origin=Match.Origin.ENGINE)
    first_change = MatchStatusChange(from_status="", to_status=Match.Status.PROPOSED)
    stamp = (
        f"UPDATE {PartRequest._meta.db_table} SET matched_at = %s WHERE id IN ({sql.placeholders(matched_request_ids)})"
    )
    stamp_parameters = [
        PartRequest._meta.get_field("matched_at").get_db_prep_save(now, connection),
        *matched_request_ids,
    ]
    with connection.cursor() as cursor:
        if rows and connection.vendor == "postgresql":
            # One round trip instead of three: the history and the stamp ride on the insert.
            insert, parameters = sql.insert_returning_ids(Match, names, rows, new_match)
            history_columns, history_values = sql.columns_from_instance(
                MatchStatusChange, first_change, exclude=("match",)
            )
            cursor.execute(
                f"WITH created AS ({insert}), "
                f"history AS (INSERT INTO {MatchStatusChange._meta.db_table} (match_id, {history_columns}) "
                f"SELECT id, {sql.placeholders(history_values)} FROM created), "
                f"stamped AS ({stamp}) SELECT id FROM created",
                [*parameters, *history_values, *stamp_parameters],
            )
            return [match_id for (match_id,) in cursor.fetchall()]
        created_ids = []
        for batch in sql.batches(Match, rows):
            cursor.execute(*sql.insert_returning_ids(Match, names, batch, new_match))
            created = cursor.fetchall()
            created_ids += [match_id for (match_id,) in created]
            cursor.execute(*sql.insert_returning_ids(MatchStatusChange, ("match",), created, first_change))
        cursor.execute(stamp, stamp_parameters)
        return created_ids


def _refreshed_proposal(match: reads.StoredMatch, proposal, now) -> Match | None:
    """The open proposal brought up to date, for bulk_update; None if nothing changed."""
    # A quoted quantity or an offer's is the source's word: the engine leaves it.
    keeps_quantity = match.origin != Match.Origin.ENGINE or match.quoted
    explanation = proposal.explanation
    if match.quoted and "lead_time_days" in match.explanation:
        # The quoted lead time, set by services._apply_quote, is the source's word: the engine leaves it.
        explanation = explanation | {"lead_time_days": match.explanation["lead_time_days"]}
    fresh = (
        proposal.score,
        explanation,
        proposal.distance_km,
        match.quantity if keeps_quantity else proposal.quantity,
    )
    if fresh == (match.score, match.explanation, match.distance_km, match.quantity):
        return None
    score, explanation, distance_km, quantity = fresh
    return Match(
        pk=match.id, score=score, explanation=explanation, distance_km=distance_km, quantity=quantity, updated_at=now
    )


def rematch_for_stock_item(*, stock_item_id: int) -> int:
    """Re-match the open requests a new or grown stock item could serve; how many."""
    stock_item = StockItem.objects.filter(pk=stock_item_id).first()
    if stock_item is None or not stock_item.exchangeable:
        return 0
    request_ids = list(
        reads.open_requests_for_stock_item(stock_item).values_list("id", flat=True)[:REVERSE_MATCH_LIMIT]
    )
    match_in_batches(request_ids)
    return len(request_ids)


def rematch_for_capability(*, capability_id: int) -> int:
    """Re-match the open requests a new or changed capability may help serve; how many."""
    capability = Capability.objects.filter(pk=capability_id).first()
    if capability is None:
        return 0
    request_ids = reads.open_requests_for_capability(capability)[:REVERSE_MATCH_LIMIT]
    match_in_batches(request_ids)
    return len(request_ids)


def rematch_open_requests() -> int:
    """The safety net: re-match every open request, least recently matched first; how many."""
    request_ids = list(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN)
        .order_by("matched_at", "id")
        .values_list("id", flat=True)
    )
    match_in_batches(request_ids)
    return len(request_ids)


def match_in_batches(request_ids) -> None:
    """Run the engine for many requests, MATCH_BATCH per transaction."""
    # One read of the capabilities serves every batch of a long run; a capability that changes
    # meanwhile has its own reverse-matching task.
    capability_index = reads.capability_index() if len(request_ids) > MATCH_BATCH else None
    for start in range(0, len(request_ids), MATCH_BATCH):
        part_requests_match(
            part_request_ids=request_ids[start : start + MATCH_BATCH], capability_index=capability_index
        )
