"""Receipts racing on PostgreSQL: two confirmations of one shipment, a confirmation against an administrator's
resolution. Whoever wins, a unit is counted once: received, lost or returned, and the ledger agrees."""

import pytest

from bench.invariants import invariant_violations
from exchange import services
from exchange.errors import TransitionNotAllowed
from exchange.models import Match, PartRequest
from tests.conftest import requires_postgres
from tests.racing import all_at_once, named
from tests.world import build_world

pytestmark = [pytest.mark.postgres, requires_postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 4


def race(*calls) -> list[str]:
    """Run each call in its own thread, released together; what each ended with, in the calls' order."""
    return named(all_at_once(calls), done="done", refusals={TransitionNotAllowed: "refused"})


def shipped_world():
    world = build_world(units=5, quantity=3)
    match = world.accepted_offer(3)
    services.match_ship(match=match, user=world.users["other"], note="MRW")
    return world, match


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_confirmations_of_one_shipment_count_it_once(round_number):
    world, match = shipped_world()
    owner, member = world.users["owner"], world.users["member"]

    outcomes = race(
        lambda: services.match_fulfil(match=match, user=owner, quantity=2),
        lambda: services.match_fulfil(match=match, user=member, quantity=3, into_stock=True),
    )

    assert sorted(outcomes) == ["done", "refused"]
    match.refresh_from_db()
    received = 2 if outcomes[0] == "done" else 3
    assert (match.status, match.quantity_received, match.quantity_in_transit) == (
        Match.Status.FULFILLED,
        received,
        3 - received,
    )
    assert PartRequest.objects.get(pk=match.request_id).quantity_fulfilled == received
    assert invariant_violations() == []


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_a_confirmation_racing_a_resolution_counts_every_unit_once(round_number):
    world, match = shipped_world()

    outcomes = race(
        lambda: services.match_fulfil(match=match, user=world.users["owner"], quantity=1, into_stock=True),
        lambda: services.match_resolve(match=match, user=world.users["admin"], resolution=Match.Resolution.RETURNED),
    )

    match.refresh_from_db()
    assert outcomes[1] == "done"
    if outcomes[0] == "done":
        # received first: the administrator resolved the two units still in transit
        assert (match.status, match.quantity_received, match.quantity_returned) == (Match.Status.FULFILLED, 1, 2)
    else:
        # resolved first: nothing had arrived, the match is cancelled and its units are back at the source
        assert (match.status, match.quantity_received, match.quantity_returned) == (Match.Status.CANCELLED, 0, 3)
    assert match.quantity_in_transit == 0
    assert invariant_violations() == []
