"""Every change of state in the exchange goes through these functions.

The API, the admin, the Celery tasks and the management commands all call
them, so a rule holds the same way whoever acts. Each is one transaction;
tasks are enqueued only after it commits.
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inventory import access
from inventory import services as inventory_services
from inventory.models import Capability, Part, Plant, StockItem
from inventory.selectors import interchangeable_parts, part_find_by_number

from . import engine, money, photos, rates, savings, selectors
from .engine.rules import great_circle_km
from .errors import TransitionNotAllowed
from .models import (
    DeclineReason,
    Match,
    MatchStatusChange,
    Notification,
    PartRequest,
    RequestPhoto,
    RequestStatusChange,
)
from .transitions import ACTION_LABELS, OPEN_STATUSES, QUOTABLE, RESERVING_STATUSES, TRANSITIONS

SPEC_FIELDS = ("material", "diameter_mm", "length_mm", "weight_kg", "it_grade")
EDITABLE_REQUEST_FIELDS = {
    "part",
    "number",
    "description",
    "quantity",
    "needed_by",
    "criticality",
    "stopped_since",
    "downtime_usd_per_day",
    "import_price_usd",
    "import_lead_time_days",
    "material",
    "processes",
    "diameter_mm",
    "length_mm",
    "weight_kg",
    "it_grade",
}


def _enqueue_after_commit(task, *args):
    """Enqueue `task` once the transaction commits.

    Callers import their task inside the function: exchange.tasks imports this module for the
    tasks that call a service, so importing the tasks here at module level would make the two
    modules import each other.
    """
    from .tasks import publish

    transaction.on_commit(lambda: publish(task, *args))


# Requests


def _resolve_part(number: str, part: Part | None) -> Part | None:
    if part is not None or not number:
        return part
    return part_find_by_number(number)


def _fill_spec_from_part(part_request: PartRequest, given: set[str]) -> None:
    part = part_request.part
    if part is None:
        return
    for name in SPEC_FIELDS:
        if name not in given or getattr(part_request, name) is None:
            setattr(part_request, name, getattr(part, name))
    if "processes" not in given or not part_request.processes:
        part_request.processes = list(part.processes or [])
    if part_request.import_price_usd is None:
        part_request.import_price_usd = part.import_price_usd


def _validate_request(part_request: PartRequest) -> None:
    if part_request.part_id is None and not part_request.number and not part_request.description.strip():
        raise ValidationError({"part": [_("Name the part, its number or describe it.")]})
    part_request.processes = sorted(set(part_request.processes or []))
    part_request.full_clean(exclude=["created_by"])


def _record_request_status(part_request, from_status, user, note=""):
    RequestStatusChange.objects.create(
        request=part_request, from_status=from_status, to_status=part_request.status, user=user, note=note
    )


@transaction.atomic
def part_request_create(*, plant: Plant, user, number: str = "", part: Part | None = None, **fields) -> PartRequest:
    access.require_acts_for_plant(user, plant.pk)
    part_request = PartRequest(plant=plant, created_by=user, number=number.strip(), **fields)
    part_request.part = _resolve_part(part_request.number, part)
    _fill_spec_from_part(part_request, {name for name, value in fields.items() if value is not None})
    _validate_request(part_request)
    part_request.save()
    _record_request_status(part_request, "", user)
    from .tasks import match_request

    _enqueue_after_commit(match_request, part_request.pk)
    return part_request


@transaction.atomic
def part_request_update(*, part_request: PartRequest, user, **fields) -> PartRequest:
    part_request = PartRequest.objects.select_for_update(no_key=True).get(pk=part_request.pk)
    access.require_keeps_records_of_plant(user, part_request.plant_id)
    if part_request.status != PartRequest.Status.OPEN:
        raise TransitionNotAllowed(_("Only an open request can be changed."))
    unknown = set(fields) - EDITABLE_REQUEST_FIELDS
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    if "quantity" in fields and fields["quantity"] < part_request.quantity_fulfilled:
        raise ValidationError({"quantity": [_("Cannot be less than what has already been received.")]})
    if "quantity" in fields and fields["quantity"] < part_request.quantity_fulfilled + _units_committed(part_request):
        raise ValidationError({"quantity": [_("Cannot be less than what accepted sources are already sending.")]})
    part_before = part_request.part_id
    for name, value in fields.items():
        setattr(part_request, name, value)
    if "number" in fields and "part" not in fields:
        part_request.part = _resolve_part(part_request.number, None) or part_request.part
    if part_request.part_id != part_before and _units_committed(part_request) + part_request.quantity_fulfilled:
        raise ValidationError(
            {"part": [_("A source has already been accepted for this part: cancel it before changing the part.")]}
        )
    if "part" in fields or "number" in fields:
        _fill_spec_from_part(part_request, {name for name, value in fields.items() if value is not None})
    _validate_request(part_request)
    part_request.save()
    from .tasks import match_request

    _enqueue_after_commit(match_request, part_request.pk)
    return part_request


@transaction.atomic
def part_request_cancel(*, part_request: PartRequest, user, note: str = "") -> PartRequest:
    part_request = PartRequest.objects.select_for_update(no_key=True).get(pk=part_request.pk)
    access.require_keeps_records_of_plant(user, part_request.plant_id)
    if part_request.status != PartRequest.Status.OPEN:
        raise TransitionNotAllowed(_("Only an open request can be cancelled."))
    _close_request(part_request, PartRequest.Status.CANCELLED, user, note)
    return part_request


def _close_request(part_request, status, user, note):
    """Close a locked request; its open matches are declined and their reservations released."""
    matches = list(
        Match.objects.select_for_update(no_key=True)
        .filter(request=part_request, status__in=OPEN_STATUSES)
        .order_by("pk")
    )
    if any(match.status == Match.Status.SHIPPED for match in matches):
        raise TransitionNotAllowed(_("Units are in transit for this request: receive them first."))
    for match in matches:
        if match.status == Match.Status.ACCEPTED:
            _release(match)
            _set_match_status(match, Match.Status.CANCELLED, user, note)
        else:
            _set_match_status(match, Match.Status.DECLINED, user, note)
    from_status = part_request.status
    part_request.status = status
    part_request.save(update_fields=["status", "updated_at"])
    _record_request_status(part_request, from_status, user, note)


def part_requests_expire(*, today: date | None = None) -> int:
    """Expire open requests whose date passed more than the grace period ago. Safe to run again."""
    from .tasks import notify_request_expired

    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.REQUEST_EXPIRY_GRACE_DAYS)
    expired = 0
    for request_id in PartRequest.objects.filter(status=PartRequest.Status.OPEN, needed_by__lt=cutoff).values_list(
        "id", flat=True
    ):
        with transaction.atomic():
            part_request = PartRequest.objects.select_for_update(no_key=True).get(pk=request_id)
            if part_request.status != PartRequest.Status.OPEN:
                continue
            try:
                _close_request(part_request, PartRequest.Status.EXPIRED, None, _("Past its date."))
            except TransitionNotAllowed:
                continue
            _enqueue_after_commit(notify_request_expired, part_request.pk)
            expired += 1
    return expired


# Match lifecycle


def _lock_match(match: Match) -> Match:
    # The request first, in the order the engine takes them: a re-match of the request then
    # cannot refresh or withdraw this match between its reading and its writing. Every lock here is
    # FOR NO KEY UPDATE: lockers still take turns, but the foreign-key checks of rows that name the
    # request or the match (a notification written at the same moment) pass instead of deadlocking.
    list(PartRequest.objects.select_for_update(no_key=True).filter(pk=match.request_id).values_list("pk", flat=True))
    try:
        return Match.objects.select_for_update(of=("self",), no_key=True).select_related("request").get(pk=match.pk)
    except Match.DoesNotExist as error:
        # A concurrent engine run withdrew this proposal after the caller loaded it.
        raise TransitionNotAllowed(
            _("This proposal has been withdrawn: the request has better sources now.")
        ) from error


def _set_match_status(match, to_status, user, note=""):
    from_status = match.status
    match.status = to_status
    if to_status == Match.Status.FULFILLED:
        match.fulfilled_at = timezone.now()
    match.save()
    MatchStatusChange.objects.create(match=match, from_status=from_status, to_status=to_status, user=user, note=note)


def _transition(match, action, user, note=""):
    allowed_from, to_status = TRANSITIONS[action]
    if match.status not in allowed_from:
        raise TransitionNotAllowed(
            _("Cannot %(action)s a match that is %(status)s.")
            % {"action": ACTION_LABELS[action], "status": Match.Status(match.status).label}
        )
    _set_match_status(match, to_status, user, note)


def _notify(match, event, user):
    from .tasks import notify_match_event

    # Call after the event's history row is written: its id tells this event from a repeat of it
    # (a second quote) and from a retry of the same task.
    history_id = match.history.order_by("-id").values_list("id", flat=True).first()
    _enqueue_after_commit(notify_match_event, match.pk, event, user.pk if user else None, history_id)


def _release(match):
    # Shipped units left the store at shipping, and their reservation with them.
    if match.source == Match.Source.STOCK and not match.quantity_shipped:
        inventory_services.stock_release(stock_item_id=match.stock_item_id, quantity=match.quantity)


@transaction.atomic
def match_approve(*, match: Match, user) -> Match:
    access.require_administrator(user)
    match = _lock_match(match)
    _transition(match, "approve", user)
    _notify(match, "approved", user)
    return match


@transaction.atomic
def match_reject(*, match: Match, user, reason: str) -> Match:
    access.require_administrator(user)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the match is rejected.")]})
    match = _lock_match(match)
    match.reject_reason = reason.strip()
    _transition(match, "reject", user, reason.strip())
    _notify(match, "rejected", user)
    return match


@transaction.atomic
def match_quote(
    *, match: Match, user, price: Decimal, currency: str, lead_time_days: int, quantity: int | None = None
) -> Match:
    access.require_acts_for_plant(user, match.source_plant_id)
    match = _lock_match(match)
    if match.status not in QUOTABLE:
        raise TransitionNotAllowed(
            _("A match can be quoted only while proposed or approved; this one is %(status)s.")
            % {"status": Match.Status(match.status).label}
        )
    _apply_quote(match, price=price, currency=currency, lead_time_days=lead_time_days, quantity=quantity)
    match.save()
    MatchStatusChange.objects.create(
        match=match,
        from_status=match.status,
        to_status=match.status,
        user=user,
        note=_("Quoted %(price)s %(currency)s, %(days)d days, %(quantity)d units.")
        % {
            "price": formats.number_format(match.quote_price, 2, force_grouping=True),
            "currency": match.quote_currency,
            "days": match.quote_lead_time_days,
            "quantity": match.quantity,
        },
    )
    _notify(match, "quoted", user)
    return match


def _apply_quote(match, *, price, currency, lead_time_days, quantity):
    errors = {}
    if currency not in Match.Currency.values:
        errors["currency"] = [_("Choose VES or USD.")]
    if price is None or Decimal(price) < 0:
        errors["price"] = [_("A price cannot be negative.")]
    if lead_time_days is None or lead_time_days < 0:
        errors["lead_time_days"] = [_("A lead time cannot be negative.")]
    if quantity is not None:
        outstanding = match.request.quantity_outstanding
        if not 1 <= quantity <= outstanding:
            errors["quantity"] = [_("Offer between 1 and %(outstanding)d units.") % {"outstanding": outstanding}]
        if match.source == Match.Source.STOCK and quantity > match.stock_item.quantity_available:
            errors["quantity"] = [_("The stock item holds fewer units available.")]
    if errors:
        raise ValidationError(errors)
    match.quote_rate, match.quote_price_usd = _quote_in_usd(Decimal(price), currency)
    match.quote_price = Decimal(price)
    match.quote_currency = currency
    match.quote_lead_time_days = lead_time_days
    # The source's word on its lead time replaces the engine's estimate wherever the match is explained.
    match.explanation = {**match.explanation, "lead_time_days": lead_time_days}
    match.quoted_at = timezone.now()
    if quantity is not None:
        match.quantity = quantity


def _quote_in_usd(price: Decimal, currency: str) -> tuple[Decimal | None, Decimal | None]:
    """The rate a quote is converted at, and its price in dollars, on the day it is given (SPEC "Money")."""
    if currency == Match.Currency.USD:
        return None, price
    exchange_rate = rates.exchange_rate_in_force(day=timezone.localdate())
    if exchange_rate is not None:
        return exchange_rate.rate, money.ves_to_usd(price, exchange_rate.rate)
    if settings.ALLOW_UNCONVERTED_VES_QUOTES:
        return None, None
    raise ValidationError(
        {"currency": [_("No exchange rate is entered for today or before: quote in USD, or ask an administrator.")]}
    )


@transaction.atomic
def match_accept(*, match: Match, user) -> Match:
    access.require_acts_for_plant(user, match.request.plant_id)
    match = _lock_match(match)
    if match.request.status != PartRequest.Status.OPEN:
        raise TransitionNotAllowed(_("The request is no longer open."))
    if match.status == Match.Status.APPROVED and not match.is_quoted:
        raise TransitionNotAllowed(_("The source has not quoted yet."))
    _transition(match, "accept", user)
    # After the transition's own check, so that accepting twice says so; a refusal rolls it back.
    _require_still_needed(match)
    if match.source == Match.Source.STOCK:
        inventory_services.stock_reserve(stock_item_id=match.stock_item_id, quantity=match.quantity)
    _notify(match, "accepted", user)
    return match


def _units_committed(part_request, *, besides: Match | None = None):
    """The units accepted or shipped sources hold for the request and have not delivered yet."""
    held = Match.objects.filter(request=part_request, status__in=RESERVING_STATUSES)
    if besides is not None:
        held = held.exclude(pk=besides.pk)
    return held.aggregate(total=Sum("quantity"))["total"] or 0


def _require_still_needed(match):
    # Call with the request locked (_lock_match): two acceptances of one request then take turns,
    # and the second sees the units the first committed.
    part_request = match.request
    still_needed = (
        part_request.quantity - part_request.quantity_fulfilled - _units_committed(part_request, besides=match)
    )
    if match.quantity > still_needed:
        # A quote prices its quantity: taking fewer units than quoted would change the deal behind the
        # source's back, so the source re-quotes for what is still needed (allowed while approved).
        if still_needed <= 0:
            raise TransitionNotAllowed(_("The request needs no more units: other accepted sources already cover it."))
        raise TransitionNotAllowed(
            _(
                "The request needs only %(needed)d more units and this match offers %(quantity)d: "
                "ask the source to quote %(needed)d."
            )
            % {"needed": still_needed, "quantity": match.quantity}
        )


@transaction.atomic
def match_ship(*, match: Match, user, note: str = "") -> Match:
    access.require_acts_for_plant(user, match.source_plant_id)
    match = _lock_match(match)
    match.ship_note = (note or "").strip()
    _transition(match, "ship", user, match.ship_note)
    _send_out(match, match.quantity, user)
    match.save(update_fields=["quantity_shipped", "updated_at"])
    _notify(match, "shipped", user)
    return match


def _send_out(match, quantity, user):
    """The units leave the source: out of its store through the ledger, for a stock match."""
    if match.source == Match.Source.STOCK:
        inventory_services.stock_transfer_out(
            stock_item_id=match.stock_item_id,
            quantity=quantity,
            user=user,
            match=match.pk,
            note=_("To %(plant)s, request #%(request)d") % {"plant": match.request.plant, "request": match.request_id},
        )
    match.quantity_shipped = quantity


@transaction.atomic
def match_fulfil(*, match: Match, user, quantity: int | None = None, into_stock: bool = False) -> Match:
    """The requester confirms receipt of ``quantity`` units (default: all shipped, or all accepted).

    Units shipped and not received stay in transit on the match, a discrepancy for an administrator
    (match_resolve). A match received without being shipped sends out only the units received; the
    rest of its reservation goes back to the source's available stock.
    """
    access.require_acts_for_plant(user, match.request.plant_id)
    match = _lock_match(match)
    # Units that did not leave at shipping (the match was not shipped, or was shipped before shipping
    # moved stock) are still reserved at the source: the units received leave now.
    sent_at_shipping = match.quantity_shipped > 0
    sent = match.quantity_shipped if sent_at_shipping else match.quantity
    received = sent if quantity is None else quantity
    _transition(
        match,
        "fulfil",
        user,
        _("%(received)d of %(sent)d units received.") % {"received": received, "sent": sent},
    )
    if not 1 <= received <= sent:
        raise ValidationError(
            {"quantity": [_("Between 1 and the %(sent)d units sent can be received.") % {"sent": sent}]}
        )
    if not sent_at_shipping:
        if received < match.quantity and match.source == Match.Source.STOCK:
            inventory_services.stock_release(stock_item_id=match.stock_item_id, quantity=match.quantity - received)
        _send_out(match, received, user)
    match.quantity_received = received
    if into_stock:
        _receive_into_stock(match, received, user)
    # Locked by _lock_match, and read after the lock was taken.
    part_request = match.request
    part_request.quantity_fulfilled = min(part_request.quantity, part_request.quantity_fulfilled + received)
    part_request.save(update_fields=["quantity_fulfilled", "updated_at"])
    savings.match_savings_record(match, units_received=received)
    match.save(
        update_fields=[
            "quantity_shipped",
            "quantity_received",
            "received_into_stock",
            *savings.RECORDED_FIELDS,
            "updated_at",
        ]
    )
    if part_request.quantity_fulfilled >= part_request.quantity:
        _close_served_request(part_request, user)
    _notify(match, "fulfilled", user)
    return match


def _receive_into_stock(match, received, user):
    """The received units enter the requester's store, as the part and condition the source sent."""
    if match.source == Match.Source.STOCK:
        part, condition = match.stock_item.part, match.stock_item.condition
    else:
        part, condition = match.request.part, StockItem.Condition.NEW
    if part is None:
        raise ValidationError(
            {"into_stock": [_("The request names no catalogue part: the units cannot be entered into stock.")]}
        )
    inventory_services.stock_receive(
        plant=match.request.plant,
        part=part,
        condition=condition,
        quantity=received,
        user=user,
        match=match.pk,
        note=_("From %(plant)s, request #%(request)d") % {"plant": match.source_plant, "request": match.request_id},
    )
    match.received_into_stock = True


@transaction.atomic
def match_resolve(*, match: Match, user, resolution: str, note: str = "") -> Match:
    """An administrator settles the units in transit that were never received: lost, or returned to the source.

    Lost units left the source's store at shipping and stay out of it; returned ones go back into it through
    the ledger. A shipped match resolved before any receipt is cancelled: nothing arrived.
    """
    access.require_administrator(user)
    if resolution not in Match.Resolution.values:
        raise ValidationError({"resolution": [_("Choose lost or returned.")]})
    match = _lock_match(match)
    in_transit = match.quantity_in_transit
    if in_transit <= 0:
        raise TransitionNotAllowed(_("No units of this match are in transit: there is nothing to resolve."))
    if resolution == Match.Resolution.RETURNED:
        if match.source == Match.Source.STOCK:
            inventory_services.stock_transfer_in(
                stock_item_id=match.stock_item_id,
                quantity=in_transit,
                user=user,
                match=match.pk,
                note=_("Returned from transit, request #%(request)d") % {"request": match.request_id},
            )
        match.quantity_returned += in_transit
    else:
        match.quantity_lost += in_transit
    summary = ngettext(
        "%(units)d unit in transit resolved: %(resolution)s.",
        "%(units)d units in transit resolved: %(resolution)s.",
        in_transit,
    ) % {
        "units": in_transit,
        "resolution": Match.Resolution(resolution).label,
    }
    note = f"{summary} {note.strip()}".strip()
    if match.status == Match.Status.SHIPPED:
        _set_match_status(match, Match.Status.CANCELLED, user, note)
        _notify(match, "cancelled", user)
    else:
        match.save(update_fields=["quantity_lost", "quantity_returned", "updated_at"])
        MatchStatusChange.objects.create(
            match=match, from_status=match.status, to_status=match.status, user=user, note=note
        )
    return match


def _close_served_request(part_request, user):
    # Proposals still waiting are no longer needed; accepted ones stay for the requester to settle.
    for waiting in (
        Match.objects.select_for_update(no_key=True)
        .filter(request=part_request, status__in=[Match.Status.PROPOSED, Match.Status.APPROVED])
        .order_by("pk")
    ):
        _set_match_status(waiting, Match.Status.DECLINED, user, _("The request has been fully served."))
    from_status = part_request.status
    part_request.status = PartRequest.Status.FULFILLED
    part_request.save(update_fields=["status", "updated_at"])
    _record_request_status(part_request, from_status, user)


@transaction.atomic
def match_decline(*, match: Match, user, reason: str = "", note: str = "") -> Match:
    """Either side declines a source; the requester turning down a quoted or approved one says why."""
    access.require_keeps_records_of_plant(user, match.request.plant_id, match.source_plant_id)
    match = _lock_match(match)
    if reason and reason not in DeclineReason.values:
        raise ValidationError({"reason": [_("Choose price, lead_time, quality, distance or other.")]})
    # Other plants read this decision: a domestic source turned down for no stated reason tells them nothing.
    weighed = match.status == Match.Status.APPROVED or (match.status == Match.Status.PROPOSED and match.is_quoted)
    if not reason and weighed and access.acts_for_plant(user, match.request.plant_id):
        raise ValidationError({"reason": [_("Say why you decline this source.")]})
    match.decline_reason = reason
    match.decline_note = (note or "").strip()
    _transition(match, "decline", user, match.decline_note)
    _notify(match, "declined", user)
    return match


@transaction.atomic
def match_cancel(*, match: Match, user, note: str = "") -> Match:
    access.require_keeps_records_of_plant(user, match.request.plant_id, match.source_plant_id)
    match = _lock_match(match)
    if match.status == Match.Status.SHIPPED and access.is_administrator(user):
        # Units in transit: only an administrator may resolve the match by cancelling it.
        _set_match_status(match, Match.Status.CANCELLED, user, note)
    else:
        _transition(match, "cancel", user, note)
    _release(match)
    _notify(match, "cancelled", user)
    return match


@transaction.atomic
def match_offer_create(
    *,
    part_request: PartRequest,
    user,
    price: Decimal,
    currency: str,
    lead_time_days: int,
    quantity: int | None = None,
    stock_item: StockItem | None = None,
    capability: Capability | None = None,
    note: str = "",
) -> Match:
    """A plant offers its own stock item or capability on an open request; ``note`` goes into its history."""
    if (stock_item is None) == (capability is None):
        raise ValidationError({"stock_item": [_("Offer either a stock item or a capability.")]})
    source = stock_item or capability
    access.require_acts_for_plant(user, source.plant_id)
    part_request = PartRequest.objects.select_for_update(no_key=True).select_related("plant").get(pk=part_request.pk)
    if part_request.status != PartRequest.Status.OPEN:
        raise TransitionNotAllowed(_("The request is no longer open."))
    if stock_item is not None:
        if (
            part_request.part_id is None
            or not PartRequest.objects.filter(interchangeable_parts(stock_item.part_id), pk=part_request.pk).exists()
        ):
            raise ValidationError({"stock_item": [_("This stock item is not the requested part.")]})
        if not stock_item.exchangeable or stock_item.quantity_available < 1:
            raise ValidationError({"stock_item": [_("This stock item has no exchangeable units available.")]})
    match = selectors.match_of_source(part_request=part_request, stock_item=stock_item, capability=capability)
    if match is not None and match.status not in QUOTABLE:
        raise TransitionNotAllowed(_("This source has already been considered for the request."))
    if match is None:
        match = Match(
            request=part_request,
            source=Match.Source.STOCK if stock_item else Match.Source.FABRICATION,
            stock_item=stock_item,
            capability=capability,
            source_plant_id=source.plant_id,
            quantity=1,
        )
    match.origin = Match.Origin.OFFER
    _apply_quote(
        match,
        price=price,
        currency=currency,
        lead_time_days=lead_time_days,
        quantity=quantity or _offer_quantity(part_request, stock_item),
    )
    distance_km = great_circle_km(
        part_request.plant.latitude, part_request.plant.longitude, source.plant.latitude, source.plant.longitude
    )
    match.distance_km = None if distance_km is None else round(distance_km, 1)
    match.explanation = match.explanation or {
        "fit": "offer",
        "offered_by": source.plant.name,
        "distance_km": match.distance_km,
    }
    is_new = match.pk is None
    match.save()
    MatchStatusChange.objects.create(
        match=match,
        from_status="" if is_new else match.status,
        to_status=match.status,
        user=user,
        note=f"{_('Offer')}: {note}" if note else _("Offer"),
    )
    _notify(match, "offered", user)
    # The engine scores the offer like any source it finds feasible, so that reviewers can rank it.
    from .tasks import match_request

    _enqueue_after_commit(match_request, part_request.pk)
    return match


def _offer_quantity(part_request, stock_item):
    if stock_item is None:
        return part_request.quantity_outstanding
    return max(1, min(part_request.quantity_outstanding, stock_item.quantity_available))


# Re-matching on demand (the requester or an administrator asks for it now)


def part_request_rematch(*, part_request: PartRequest, user) -> int:
    access.require_keeps_records_of_plant(user, part_request.plant_id)
    if part_request.status != PartRequest.Status.OPEN:
        raise TransitionNotAllowed(_("Only an open request can be matched."))
    return engine.part_request_match(part_request_id=part_request.pk)


# Notifications


def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's notifications read; reading it again keeps the first time."""
    if notification.user_id != user.pk:
        raise PermissionDenied(_("This notification is not yours."))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, plant_id: int | None = None) -> int:
    """Mark every unread notification of the user (for one plant, if given) read; how many were."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if plant_id is not None:
        unread = unread.filter(plant_id=plant_id)
    return unread.update(read_at=timezone.now())


# Photos of the worn part


def _check_photo_room(part_request: PartRequest, adding: int) -> None:
    if part_request.status != PartRequest.Status.OPEN:
        raise TransitionNotAllowed(_("Photos can be added only to an open request."))
    limit = settings.REQUEST_PHOTO_MAX_COUNT
    if part_request.photos.count() + adding > limit:
        raise ValidationError({"photos": [_("A request may have at most %(count)d photos.") % {"count": limit}]})


def _photos_prepare(image_files) -> list[photos.PreparedPhoto]:
    # Decoded and re-encoded before any lock is taken: a transaction holds only the count and the saves.
    image_files = list(image_files)
    if not image_files:
        raise ValidationError({"photos": [_("Choose a photo to add.")]})
    return [photos.photo_prepare(image_file) for image_file in image_files]


def _photos_store(part_request: PartRequest, user, prepared) -> list[RequestPhoto]:
    """Save prepared photos on a request; call inside a transaction. Files saved before a failure are removed."""
    storage = RequestPhoto._meta.get_field("image").storage
    stored_names = []
    try:
        with transaction.atomic():
            part_request = PartRequest.objects.select_for_update(no_key=True).get(pk=part_request.pk)
            _check_photo_room(part_request, len(prepared))
            added = []
            for photo_data in prepared:
                photo = RequestPhoto(
                    request=part_request, uploaded_by=user, width=photo_data.width, height=photo_data.height
                )
                # Random names: a photo's address cannot be guessed from its request's.
                stem = uuid.uuid4().hex
                photo.image.save(f"{stem}.jpg", ContentFile(photo_data.image), save=False)
                stored_names.append(photo.image.name)
                photo.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(photo_data.thumbnail), save=False)
                stored_names.append(photo.thumbnail.name)
                photo.save()
                added.append(photo)
    except BaseException:
        # Rows roll back with the transaction; files in the storage must be removed by hand.
        for name in stored_names:
            storage.delete(name)
        raise
    return added


def part_request_photos_add(*, part_request: PartRequest, user, image_files) -> list[RequestPhoto]:
    """Add photos of the worn part to an open request, all or none, by a member of the requesting plant."""
    access.require_acts_for_plant(user, part_request.plant_id)
    image_files = list(image_files)
    _check_photo_room(part_request, len(image_files))
    prepared = _photos_prepare(image_files)
    return _photos_store(part_request, user, prepared)


def part_request_photo_add(*, part_request: PartRequest, user, image_file) -> RequestPhoto:
    return part_request_photos_add(part_request=part_request, user=user, image_files=[image_file])[0]


def part_request_create_with_photos(*, plant: Plant, user, image_files, **fields) -> PartRequest:
    """Post a shortage with its photos in one transaction: a refused photo posts nothing."""
    access.require_acts_for_plant(user, plant.pk)
    prepared = _photos_prepare(image_files)
    with transaction.atomic():
        part_request = part_request_create(plant=plant, user=user, **fields)
        _photos_store(part_request, user, prepared)
    return part_request
