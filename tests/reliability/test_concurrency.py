import threading
from collections import Counter

import pytest
from django.db import DatabaseError, connection

from bench.invariants import invariant_violations
from exchange import services as exchange_services
from exchange.models import Match
from inventory.errors import InsufficientStock

from .world import World

RACERS = 20
UNITS = 10


def _accept_all_at_once(matches, user):
    """Each match accepted by its own thread, all released together; returns what each thread ended with."""
    barrier = threading.Barrier(len(matches))
    outcomes = []
    lock = threading.Lock()

    def accept(match):
        try:
            barrier.wait(timeout=30)
            exchange_services.match_accept(match=match, user=user)
            outcome = "accepted"
        except InsufficientStock:
            outcome = "insufficient"
        except DatabaseError as error:
            outcome = f"database error: {error}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=accept, args=(match,)) for match in matches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(outcomes)


@pytest.mark.django_db(transaction=True)
def test_racing_accepts_never_reserve_a_unit_twice():
    # given 20 approved, quoted offers of 1 unit each from a store that holds 10
    world = World(units=UNITS)
    matches = [world.approved_offer(quantity=1) for _ in range(RACERS)]

    # when the 20 requesters accept at the same instant
    outcomes = _accept_all_at_once(matches, world.requester)

    # then
    world.stock.refresh_from_db()
    accepted = Match.objects.filter(pk__in=[m.pk for m in matches], status=Match.Status.ACCEPTED).count()
    assert 0 <= world.stock.reserved <= world.stock.quantity == UNITS
    assert accepted == outcomes["accepted"] == world.stock.reserved
    assert invariant_violations() == []
    if connection.vendor == "postgresql":
        assert outcomes == Counter(accepted=UNITS, insufficient=RACERS - UNITS)
    else:
        # SQLite serialises the writers: some may give up on the lock, but none may oversell.
        assert sum(outcomes.values()) == RACERS
