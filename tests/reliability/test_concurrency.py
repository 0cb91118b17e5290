import threading
import time
from collections import Counter

import pytest
from django.db import DatabaseError, connection

from bench.invariants import invariant_violations
from exchange import engine
from exchange import services as exchange_services
from exchange.engine import reads as engine_reads
from exchange.errors import TransitionNotAllowed
from exchange.models import Match
from inventory.errors import InsufficientStock
from inventory.models import StockItem
from tests.racing import all_at_once, named
from tests.world import build_world

RACERS = 20
UNITS = 10


def _accept_all_at_once(matches, user) -> Counter:
    """Each match accepted by its own thread, all released together; what each thread ended with."""
    calls = [lambda match=match: exchange_services.match_accept(match=match, user=user) for match in matches]
    return Counter(named(all_at_once(calls), done="accepted", refusals={InsufficientStock: "insufficient"}))


@pytest.mark.django_db(transaction=True)
def test_racing_accepts_never_reserve_a_unit_twice():
    # given 20 approved, quoted offers of 1 unit each from a store that holds 10
    world = build_world(units=UNITS)
    matches = [world.approved_offer(quantity=1) for _ in range(RACERS)]

    # when the 20 requesters accept at the same instant
    outcomes = _accept_all_at_once(matches, world.users["owner"])

    # then
    world.other_stock.refresh_from_db()
    accepted = Match.objects.filter(pk__in=[m.pk for m in matches], status=Match.Status.ACCEPTED).count()
    assert 0 <= world.other_stock.reserved <= world.other_stock.quantity == UNITS
    assert accepted == outcomes["accepted"] == world.other_stock.reserved
    assert invariant_violations() == []
    if connection.vendor == "postgresql":
        assert outcomes == Counter(accepted=UNITS, insufficient=RACERS - UNITS)
    else:
        # SQLite serialises the writers: some may give up on the lock, but none may oversell.
        assert sum(outcomes.values()) == RACERS


@pytest.mark.django_db(transaction=True)
def test_an_approval_racing_a_rematch_that_withdraws_the_proposal_is_refused_not_lost(monkeypatch):
    # given an engine proposal whose stock has just left the exchange, so that a re-match withdraws it
    # (written past the services, whose announcement would have withdrawn it at once)
    world = build_world(units=2)
    part_request = world.new_request()
    proposal = Match.objects.get(request=part_request, stock_item=world.other_stock)
    StockItem.objects.filter(pk=world.other_stock.pk).update(exchangeable=False)
    assert Match.objects.filter(pk=proposal.pk, status=Match.Status.PROPOSED).exists()

    # when an administrator approves it while the re-match has read the matches but not yet written
    has_read, may_write = threading.Event(), threading.Event()
    read_matches = engine_reads.stored_matches

    def read_then_wait(part_request_ids):
        found = read_matches(part_request_ids)
        has_read.set()
        may_write.wait(timeout=10)
        return found

    monkeypatch.setattr(engine_reads, "stored_matches", read_then_wait)
    outcome = []

    def rematch():
        try:
            engine.part_request_match(part_request_id=part_request.pk)
        finally:
            connection.close()

    def approve():
        try:
            has_read.wait(timeout=10)
            exchange_services.match_approve(match=proposal, user=world.users["admin"])
            outcome.append("approved")
        except TransitionNotAllowed:
            outcome.append("refused")
        except DatabaseError:
            outcome.append("database error")
        finally:
            connection.close()

    threads = [threading.Thread(target=rematch), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    has_read.wait(timeout=10)
    time.sleep(0.5)  # time enough for the approval to commit, were nothing holding it back
    may_write.set()
    for thread in threads:
        thread.join(timeout=60)

    # then the approval waited for the re-match and was refused: no approved match vanished
    assert not Match.objects.filter(pk=proposal.pk).exists()
    if connection.vendor == "postgresql":
        assert outcome == ["refused"]
    else:
        # SQLite's in-memory test database may refuse the waiting writer with a lock error instead.
        assert outcome in (["refused"], ["database error"])
    assert invariant_violations() == []
