"""Receipt as it happens: units leave the source at shipping, arrive in part or whole, may enter the requester's
store, and what never arrives is resolved by an administrator (lost, or returned to the source)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from bench.invariants import invariant_violations
from exchange import services
from exchange.errors import TransitionNotAllowed
from exchange.models import Match, Notification, PartRequest
from inventory import services as inventory_services
from inventory.models import StockItem, StockMovement

S = Match.Status


@pytest.fixture
def world(make_world):
    """The source holds 10 bearings; the request needs 3 at 42 USD each."""
    return make_world(units=10, quantity=3, import_price_usd=Decimal("42.00"))


def shipped(world):
    match = world.bring_to(S.SHIPPED)
    assert match.quantity == 3
    return match


def source_stock(world):
    return StockItem.objects.get(pk=world.other_stock.pk)


def receive(world, match, **arguments):
    services.match_fulfil(match=match, user=world.users["owner"], **arguments)
    match.refresh_from_db()
    return match


def resolve(world, match, resolution, note=""):
    services.match_resolve(match=match, user=world.users["admin"], resolution=resolution, note=note)
    match.refresh_from_db()
    return match


def test_shipping_moves_the_units_out_of_the_source_and_holds_them_in_transit(world):
    match = shipped(world)

    item = source_stock(world)
    assert (item.quantity, item.reserved) == (7, 0)
    assert (match.quantity_shipped, match.quantity_in_transit, match.has_discrepancy) == (3, 3, False)
    assert list(item.movements.filter(match=match.pk).values_list("delta", "reason")) == [
        (-3, StockMovement.Reason.TRANSFER_OUT)
    ]
    assert invariant_violations() == []


def test_a_receipt_without_a_quantity_receives_every_unit_shipped(world):
    match = receive(world, shipped(world))

    part_request = PartRequest.objects.get(pk=world.request.pk)
    assert (match.status, match.quantity_received, match.quantity_in_transit) == (S.FULFILLED, 3, 0)
    assert (part_request.quantity_fulfilled, part_request.status) == (3, PartRequest.Status.FULFILLED)
    assert match.usd_avoided == Decimal("126.00")
    assert source_stock(world).quantity == 7
    assert invariant_violations() == []


def test_a_partial_receipt_counts_what_arrived_and_leaves_the_rest_in_transit(world):
    match = receive(world, shipped(world), quantity=2)

    part_request = PartRequest.objects.get(pk=world.request.pk)
    assert (match.status, match.quantity_received, match.quantity_in_transit) == (S.FULFILLED, 2, 1)
    assert match.has_discrepancy
    assert match.usd_avoided == Decimal("84.00")
    assert (part_request.quantity_fulfilled, part_request.status) == (2, PartRequest.Status.OPEN)
    assert part_request.quantity_outstanding == 1
    assert match.history.last().note == "2 of 3 units received."
    assert invariant_violations() == []


@pytest.mark.parametrize("quantity", [0, -1, 4])
def test_a_receipt_of_more_than_was_sent_or_of_nothing_is_refused_and_changes_nothing(world, quantity):
    match = shipped(world)

    with pytest.raises(ValidationError) as error:
        services.match_fulfil(match=match, user=world.users["owner"], quantity=quantity)

    assert list(error.value.message_dict) == ["quantity"]
    match.refresh_from_db()
    assert (match.status, match.quantity_received) == (S.SHIPPED, 0)
    assert PartRequest.objects.get(pk=world.request.pk).quantity_fulfilled == 0
    assert invariant_violations() == []


def test_received_units_kept_as_spares_enter_the_requesters_item_of_that_part_through_the_ledger(world):
    # given: the requesting plant already keeps an (empty) item of the bearing, new, in B-2
    match = receive(world, shipped(world), quantity=2, into_stock=True)

    spares = StockItem.objects.get(pk=world.empty_stock.pk)
    assert spares.quantity == 2
    arrival = spares.movements.get()
    assert (arrival.delta, arrival.reason, arrival.match, arrival.user) == (
        2,
        StockMovement.Reason.TRANSFER_IN,
        match.pk,
        world.users["owner"],
    )
    assert match.received_into_stock
    assert invariant_violations() == []


def test_spares_of_a_condition_the_requester_does_not_keep_get_a_new_item_of_their_own(world):
    inventory_services.stock_item_update(stock_item=world.other_stock, user=world.users["other"], condition="used")

    match = receive(world, shipped(world), into_stock=True)

    created = StockItem.objects.get(plant=world.owner_plant, part=world.part, condition=StockItem.Condition.USED)
    assert (created.quantity, created.reserved, created.location, created.exchangeable) == (3, 0, "", False)
    assert StockItem.objects.get(pk=world.empty_stock.pk).quantity == 0
    assert created.movements.get().match == match.pk
    assert invariant_violations() == []


def test_a_receipt_without_shipping_sends_out_only_the_units_received_and_frees_the_rest(world):
    match = world.bring_to(S.ACCEPTED)
    assert source_stock(world).reserved == 3

    match = receive(world, match, quantity=1)

    item = source_stock(world)
    assert (item.quantity, item.reserved, item.quantity_available) == (9, 0, 9)
    assert (match.quantity_shipped, match.quantity_received, match.quantity_in_transit) == (1, 1, 0)
    assert invariant_violations() == []


def test_a_match_shipped_before_shipping_moved_stock_still_sends_its_reserved_units_at_receipt(world):
    # given: a match shipped under the earlier rule, its units still reserved in the source's store
    match = world.bring_to(S.ACCEPTED)
    Match.objects.filter(pk=match.pk).update(status=S.SHIPPED)
    assert invariant_violations() == []

    match = receive(world, match)

    assert (source_stock(world).quantity, source_stock(world).reserved) == (7, 0)
    assert (match.quantity_shipped, match.quantity_received) == (3, 3)
    assert invariant_violations() == []


def test_units_lost_in_transit_are_written_off_and_the_source_store_stays_as_it_is(world):
    match = receive(world, shipped(world), quantity=2)

    match = resolve(world, match, Match.Resolution.LOST, note="Reclamo MRW 88")

    assert (match.quantity_lost, match.quantity_in_transit, match.has_discrepancy) == (1, 0, False)
    assert match.status == S.FULFILLED
    assert source_stock(world).quantity == 7
    assert source_stock(world).movements.count() == 2  # the count in, the transfer out
    assert match.history.last().note == "1 unit in transit resolved: Lost in transit. Reclamo MRW 88"
    assert match.history.last().user == world.users["admin"]
    assert invariant_violations() == []


def test_units_returned_go_back_into_the_source_store_through_the_ledger(world):
    match = receive(world, shipped(world), quantity=2)

    match = resolve(world, match, Match.Resolution.RETURNED)

    item = source_stock(world)
    assert (match.quantity_returned, match.quantity_in_transit) == (1, 0)
    assert (item.quantity, item.quantity_available) == (8, 8)
    back = item.movements.get(reason=StockMovement.Reason.TRANSFER_IN)
    assert (back.delta, back.match, back.user) == (1, match.pk, world.users["admin"])
    assert invariant_violations() == []


def test_a_discrepancy_is_resolved_once(world):
    match = resolve(world, receive(world, shipped(world), quantity=2), Match.Resolution.LOST)

    with pytest.raises(TransitionNotAllowed):
        resolve(world, match, Match.Resolution.RETURNED)

    assert (match.quantity_lost, match.quantity_returned) == (1, 0)


def test_a_shipment_that_never_arrived_is_resolved_and_the_match_cancelled(world):
    match = shipped(world)

    match = resolve(world, match, Match.Resolution.RETURNED, note="Devuelto por el transportista")

    assert (match.status, match.quantity_returned, match.quantity_received) == (S.CANCELLED, 3, 0)
    assert source_stock(world).quantity == 10
    # The request needs its three units again: another source may be accepted for them.
    assert PartRequest.objects.get(pk=world.request.pk).quantity_outstanding == 3
    assert invariant_violations() == []


def test_an_administrator_cancelling_a_shipped_match_leaves_its_units_to_resolve(world):
    match = shipped(world)

    services.match_cancel(match=match, user=world.users["admin"], note="Perdido")

    match.refresh_from_db()
    assert (match.status, match.quantity_in_transit, match.has_discrepancy) == (S.CANCELLED, 3, True)
    assert invariant_violations() == []
    assert resolve(world, match, Match.Resolution.LOST).quantity_lost == 3
    assert invariant_violations() == []


@pytest.mark.parametrize("role", ["owner", "member", "other", "shop"])
def test_only_an_administrator_resolves_units_in_transit(world, role):
    match = receive(world, shipped(world), quantity=1)

    with pytest.raises(PermissionDenied):
        services.match_resolve(match=match, user=world.users[role], resolution=Match.Resolution.LOST)

    match.refresh_from_db()
    assert match.quantity_in_transit == 2


def test_a_resolution_must_be_lost_or_returned(world):
    match = receive(world, shipped(world), quantity=1)

    with pytest.raises(ValidationError) as error:
        services.match_resolve(match=match, user=world.users["admin"], resolution="found")

    assert list(error.value.message_dict) == ["resolution"]


def test_nothing_to_resolve_when_every_unit_arrived(world):
    match = receive(world, shipped(world))

    with pytest.raises(TransitionNotAllowed):
        resolve(world, match, Match.Resolution.LOST)


def test_the_source_is_told_how_many_of_the_units_sent_arrived(world, django_capture_on_commit_callbacks):
    match = shipped(world)
    world.users["other"].email = "almacen@lacteos.example"
    world.users["other"].save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        receive(world, match, quantity=2)

    told = Notification.objects.select_related("request__part", "match__source_plant").get(
        user=world.users["other"], kind=Notification.Kind.FULFILLED
    )
    assert told.text.endswith("Note: 2 of 3 units received.")
    (email,) = mail.outbox
    assert "received 2 × Rodamiento 6205" in email.body and "2 of 3 units received." in email.body
