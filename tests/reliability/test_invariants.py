import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from bench.invariants import invariant_violations
from exchange import services as exchange_services
from exchange.models import Match, MatchStatusChange
from exchange.transitions import OPEN_STATUSES
from inventory import services as inventory_services
from inventory.errors import ConflictError
from inventory.models import StockItem
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_consistent_data_has_no_violations():
    world = build_world(units=5)
    exchange_services.match_fulfil(match=world.accepted_offer(2), user=world.users["owner"])

    assert invariant_violations() == []


def test_checker_reports_a_quantity_changed_behind_the_ledger():
    world = build_world(units=5)
    StockItem.objects.filter(pk=world.other_stock.pk).update(quantity=7)

    assert invariant_violations() == [f"stock item {world.other_stock.pk}: quantity 7 but its ledger sums to 5"]


def test_checker_reports_a_reservation_no_match_holds():
    world = build_world(units=5)
    world.accepted_offer(2)
    StockItem.objects.filter(pk=world.other_stock.pk).update(reserved=3)

    assert invariant_violations() == [
        f"stock item {world.other_stock.pk}: reserved 3 but accepted matches not yet shipped hold 2"
    ]


def test_checker_reports_a_fulfilled_quantity_no_delivery_explains():
    world = build_world(units=5)
    part_request = world.new_request(quantity=4)
    type(part_request).objects.filter(pk=part_request.pk).update(quantity_fulfilled=1)

    assert invariant_violations() == [
        f"request {part_request.pk}: quantity_fulfilled 1 but its fulfilled matches deliver 0"
    ]


def test_checker_reports_a_request_served_beyond_its_quantity():
    world = build_world(units=5)
    match = world.accepted_offer(1)
    type(match.request).objects.filter(pk=match.request_id).update(quantity=1)
    Match.objects.filter(pk=match.pk).update(quantity=2)
    StockItem.objects.filter(pk=world.other_stock.pk).update(reserved=2)

    assert invariant_violations() == [f"request {match.request_id}: needs 1 but its matches serve 2"]


def test_checker_reports_a_stock_match_whose_item_moved_to_another_plant():
    world = build_world(units=5)
    match = world.accepted_offer(1)
    elsewhere = type(world.owner_plant).objects.create(
        name="Otra planta", kind="plant", ownership="state", sector="food", state="Lara", city="Barquisimeto"
    )
    StockItem.objects.filter(pk=world.other_stock.pk).update(plant=elsewhere)

    # The world's own proposal names the same item, so it is reported too.
    violations = invariant_violations()
    assert len(violations) == 2 and set(violations) == {
        f"match {moved.pk}: source plant {world.other_plant.pk} but its stock item is at plant {elsewhere.pk}"
        for moved in (world.match, match)
    }


def _random_step(rng, world, matches):
    """One service call a real user could make, chosen at random; refusals are part of the game."""
    actions = ["offer", "accept", "fulfil", "ship", "cancel", "decline", "count", "cancel_request", "resolve"]
    action = rng.choice(actions)
    # Among the matches still in play: steps on closed ones are refused and prove little.
    for candidate in matches:
        candidate.refresh_from_db()
    in_play = [candidate for candidate in matches if candidate.status in OPEN_STATUSES or candidate.quantity_in_transit]
    match = rng.choice(in_play) if in_play else None
    if action == "offer" or match is None:
        part_request = world.new_request(quantity=rng.randint(1, 3))
        matches.append(
            exchange_services.match_approve(
                match=exchange_services.match_offer_create(
                    part_request=part_request,
                    user=world.users["other"],
                    price=Decimal("10"),
                    currency="USD",
                    lead_time_days=2,
                    quantity=part_request.quantity,
                    stock_item=world.other_stock,
                ),
                user=world.users["admin"],
            )
        )
    elif action == "accept":
        exchange_services.match_accept(match=match, user=world.users["owner"])
    elif action == "fulfil":
        match.refresh_from_db()
        exchange_services.match_fulfil(
            match=match,
            user=world.users["owner"],
            quantity=rng.choice([None, rng.randint(1, match.quantity_shipped or match.quantity)]),
            into_stock=rng.random() < 0.5,
        )
    elif action == "resolve":
        exchange_services.match_resolve(
            match=match, user=world.users["admin"], resolution=rng.choice(Match.Resolution.values)
        )
    elif action == "ship":
        exchange_services.match_ship(match=match, user=world.users["other"], note="truck")
    elif action == "cancel":
        exchange_services.match_cancel(match=match, user=rng.choice([world.users["owner"], world.users["admin"]]))
    elif action == "decline":
        exchange_services.match_decline(match=match, user=world.users["other"])
    elif action == "count":
        world.other_stock.refresh_from_db()
        inventory_services.stock_set_quantity(
            stock_item=world.other_stock,
            quantity=max(0, world.other_stock.quantity + rng.randint(-2, 3)),
            user=world.users["other"],
        )
    else:
        exchange_services.part_request_cancel(part_request=match.request, user=world.users["owner"])


def test_invariants_hold_after_a_random_sequence_of_operations():
    rng = random.Random(20261125)
    world = build_world(units=6)
    matches = []
    refused = 0

    for _ in range(150):
        try:
            _random_step(rng, world, matches)
        except (ConflictError, ValidationError):
            refused += 1
        assert invariant_violations() == []

    statuses_reached = set(MatchStatusChange.objects.values_list("to_status", flat=True))
    # The walk must reach the states that move stock, or it proves little.
    assert {Match.Status.FULFILLED, Match.Status.ACCEPTED, Match.Status.CANCELLED} <= statuses_reached
    assert refused > 0
    # ... and receive in part, into stock, and resolve both ways what did not arrive.
    assert Match.objects.filter(quantity_received__lt=F("quantity_shipped")).exists()
    assert Match.objects.filter(received_into_stock=True).exists()
    assert Match.objects.filter(quantity_lost__gt=0).exists() and Match.objects.filter(quantity_returned__gt=0).exists()
