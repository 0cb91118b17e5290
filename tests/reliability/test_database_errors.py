import pytest
from django.db import IntegrityError, OperationalError

from bench.invariants import invariant_violations
from exchange import services as exchange_services
from exchange.models import Match
from inventory import services as inventory_services
from inventory.models import StockMovement
from tests.conftest import client_for
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def break_ledger_writes(monkeypatch):
    """From the call on, each ledger insert violates a database constraint, after the stock row was updated."""
    record_movement = inventory_services._record_movement

    def record_a_zero_movement(**fields):
        return record_movement(**{**fields, "delta": 0})

    return lambda: monkeypatch.setattr(inventory_services, "_record_movement", record_a_zero_movement)


def _snapshot(world, match):
    world.other_stock.refresh_from_db()
    match.refresh_from_db()
    match.request.refresh_from_db()
    return {
        "match_status": match.status,
        "usd_avoided": match.usd_avoided,
        "request_fulfilled": match.request.quantity_fulfilled,
        "request_status": match.request.status,
        "quantity": world.other_stock.quantity,
        "reserved": world.other_stock.reserved,
        "ledger": list(StockMovement.objects.order_by("pk").values_list("pk", "delta")),
    }


def test_failed_ledger_write_during_fulfil_leaves_nothing_half_written(break_ledger_writes):
    world = build_world(units=5)
    match = world.accepted_offer(2)
    before = _snapshot(world, match)
    break_ledger_writes()

    with pytest.raises(IntegrityError):
        exchange_services.match_fulfil(match=match, user=world.users["owner"])

    assert _snapshot(world, match) == before
    assert before["match_status"] == Match.Status.ACCEPTED
    assert before["reserved"] == 2
    assert invariant_violations() == []


def test_api_caller_gets_a_clear_error_when_fulfil_fails_in_the_database(break_ledger_writes):
    world = build_world(units=5)
    match = world.accepted_offer(2)
    before = _snapshot(world, match)
    break_ledger_writes()

    response = client_for(world.users["owner"]).post(f"/api/matches/{match.pk}/fulfil/")

    assert response.status_code == 409
    assert response.json()["detail"]
    assert _snapshot(world, match) == before
    assert invariant_violations() == []


def test_api_caller_gets_a_503_to_retry_when_the_database_fails(monkeypatch):
    world = build_world(units=5)
    match = world.accepted_offer(2)
    before = _snapshot(world, match)

    def database_gone(**fields):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(inventory_services, "_record_movement", database_gone)

    response = client_for(world.users["owner"]).post(f"/api/matches/{match.pk}/fulfil/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["detail"]
    assert _snapshot(world, match) == before
