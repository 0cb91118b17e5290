"""A run of the engine: read the requests and their candidates, rank them, write the proposals.

The periodic sweep and reverse matching choose which requests to run here, in batches.
"""

from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange.models import Match, MatchStatusChange, PartRequest
from inventory.models import Capability, Interchange, StockItem

from . import reads, rules, sql

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
        stored = reads.stored_matches(list(specs))
        # Only requests with a match the ranking does not rewrite need their sources' holdings.
        held_by_request = {
            request_id: rules.units_each_source_holds(
                specs[request_id], stock.get(specs[request_id].part_id, []), capabilities[request_id]
            )
            for request_id in {match.request_id for match in stored if _held_to_its_source(match)}
        }
        stored = _hold_to_what_sources_hold(stored, held_by_request)
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
            )
            for request_id, spec in specs.items()
        }
        return _save_proposals(proposals, stored)


def _held_to_its_source(match: reads.StoredMatch) -> bool:
    """Whether _hold_to_what_sources_hold checks a match: one still proposed or approved whose promise the
    ranking does not rewrite (quoted, offered or approved), but a workshop's own offer."""
    if match.status not in (Match.Status.PROPOSED, Match.Status.APPROVED):
        return False
    if match.origin == Match.Origin.ENGINE and match.status == Match.Status.PROPOSED and not match.quoted:
        # The ranking itself refreshes or withdraws these.
        return False
    # A workshop that offers is its own judge of what it can make; its units are not counted.
    source, _item_or_plant = match.key
    return not (source == Match.Source.FABRICATION and match.origin == Match.Origin.OFFER)


def _hold_to_what_sources_hold(stored, held_by_request) -> list[reads.StoredMatch]:
    """Open matches brought within what their sources still hold, so that no accept is refused for units.

    A stock match promising more units than its item has available is lowered to them (its quote
    priced the old quantity, so it is cleared and the source quotes again); one whose item holds
    none of them for the request (counted down, reserved by another match, no longer exchangeable
    or no longer the part), and an engine match whose workshop can no longer make the part, is
    declined. Answers the stored matches as they now are.
    """
    now, checked = timezone.now(), []
    for match in stored:
        held = held_by_request[match.request_id].get(match.key, 0) if _held_to_its_source(match) else None
        if held is None or match.quantity <= held:
            checked.append(match)
        elif held:
            Match.objects.filter(pk=match.id).update(
                quantity=held,
                quote_price=None,
                quote_currency="",
                quote_lead_time_days=None,
                quoted_at=None,
                updated_at=now,
            )
            note = _("Only %(units)d units are left at the source: the match holds them now.") % {"units": held}
            if match.quoted:
                note += " " + _("The quote priced more units: the source quotes again.")
            MatchStatusChange.objects.create(
                match_id=match.id, from_status=match.status, to_status=match.status, note=note
            )
            checked.append(match._replace(quantity=held, quoted=False))
        else:
            Match.objects.filter(pk=match.id).update(status=Match.Status.DECLINED, updated_at=now)
            MatchStatusChange.objects.create(
                match_id=match.id,
                from_status=match.status,
                to_status=Match.Status.DECLINED,
                note=_("Withdrawn: the source no longer holds what this match promised."),
            )
            checked.append(match._replace(status=Match.Status.DECLINED))
    return checked


def _save_proposals(proposals_by_request, stored) -> dict[int, int]:
    """Create new proposals, refresh open ones, withdraw the rest; writes only what changed.

    Answers the number of open proposals of each request.
    """
    existing_by_request = {}
    for match in stored:
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
        with connection.cursor() as cursor:
            for batch in sql.batches(Match, to_update):
                cursor.execute(*sql.update_by_key(Match, REFRESHED_FIELDS, batch))
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


# What a refresh rewrites of an open proposal, in the order of _refreshed_proposal's rows after the key.
REFRESHED_FIELDS = ("score", "explanation", "distance_km", "quantity", "updated_at")


def _refreshed_proposal(match: reads.StoredMatch, proposal, now) -> tuple | None:
    """The open proposal brought up to date, as (key, *REFRESHED_FIELDS); None if nothing changed."""
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
    return (match.id, *fresh, now)


def rematch_for_stock_item(*, stock_item_id: int) -> int:
    """Re-match the open requests a new or grown stock item could serve; how many."""
    stock_item = StockItem.objects.filter(pk=stock_item_id).first()
    if stock_item is None or not stock_item.exchangeable:
        return 0
    request_ids = list(
        reads.in_sweep_order(reads.open_requests_for_stock_item(stock_item)).values_list("id", flat=True)[
            :REVERSE_MATCH_LIMIT
        ]
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


def proposals_refresh(*, stock_item_ids=(), workshop_plant_ids=(), request_ids=()) -> int:
    """Re-match the open requests whose open matches promise more of these stock items than they have left
    (or name one withdrawn from the exchange) or name these plants' workshops, and these requests, so that
    what those matches promise is still there; how many requests.

    Called when a stock item's available units fall, a capability changes or goes, or two parts
    stop replacing each other: each match is refreshed, lowered to what is left, or withdrawn. A match
    whose units are all still there is left alone: its quantity, and so its score, would be the same
    (rules.stock_option), and re-matching every request that names a scarce item at each of its falls
    cost more than anything else the load test asked.
    """
    left = F("stock_item__quantity") - F("stock_item__reserved")
    promising_more_than_left = Q(stock_item_id__in=list(stock_item_ids)) & (
        Q(stock_item__exchangeable=False) | Q(quantity__gt=left)
    )
    naming = promising_more_than_left | Q(source=Match.Source.FABRICATION, source_plant_id__in=list(workshop_plant_ids))
    named = Match.objects.filter(
        naming, status__in=[Match.Status.PROPOSED, Match.Status.APPROVED], request__status=PartRequest.Status.OPEN
    ).values_list("request_id", flat=True)
    part_request_ids = sorted(set(request_ids) | set(named))
    match_in_batches(part_request_ids)
    return len(part_request_ids)


def proposals_withdraw_for_capability(*, capability_id: int) -> int:
    """Withdraw the engine's proposals nobody reviewed or quoted that name a capability about to go; how many."""
    _deleted, deleted_by_model = Match.objects.filter(
        capability_id=capability_id,
        origin=Match.Origin.ENGINE,
        status=Match.Status.PROPOSED,
        quote_price__isnull=True,
    ).delete()
    return deleted_by_model.get(Match._meta.label, 0)


def rematch_for_interchange(*, interchange_id: int) -> int:
    """Re-match the open requests an interchange could serve, once approved or once withdrawn; how many."""
    interchange = Interchange.objects.filter(pk=interchange_id).first()
    if interchange is None:
        return 0
    request_ids = list(
        reads.in_sweep_order(reads.open_requests_for_interchange(interchange)).values_list("id", flat=True)[
            :REVERSE_MATCH_LIMIT
        ]
    )
    match_in_batches(request_ids)
    return len(request_ids)


def rematch_open_requests() -> int:
    """The safety net: re-match every open request, most urgent first (then the least recently matched); how many."""
    request_ids = list(
        reads.in_sweep_order(PartRequest.objects.filter(status=PartRequest.Status.OPEN)).values_list("id", flat=True)
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
