"""The API keeps answering reads and writes when Redis, as cache or as broker, is stopped or frozen.

Stopped: a port where nothing listens (connections refused at once). Frozen: a server that accepts
connections and never answers, as a Redis stuck on a full disk or a paused container does.
"""

import logging
import socket
import threading
import time

import pytest

from config import outage
from exchange.models import PartRequest
from tests.conftest import client_for
from tests.world import build_world

from .real_services import celery_publishing_to

# What a write may cost, at most, while a part is failing; the first write after the failure included.
BUDGET_SECONDS = 3
STOPPED_URL = "redis://127.0.0.1:6390/0"


class FrozenRedis:
    """Accepts connections, reads what it is sent, never answers; counts the bytes it was sent."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.connections = []
        self.bytes_received = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(connection)
            threading.Thread(target=self._read, args=(connection,), daemon=True).start()

    def _read(self, connection):
        while True:
            try:
                data = connection.recv(65536)
            except OSError:
                return
            if not data:
                return
            self.bytes_received += len(data)

    def close(self):
        self.server.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def frozen_redis():
    frozen = FrozenRedis()
    yield frozen
    frozen.close()


@pytest.fixture(autouse=True)
def no_outage_remembered():
    outage.cache.end()
    outage.broker.end()
    yield
    outage.cache.end()
    outage.broker.end()


def redis_cache_at(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # As config/settings/production.py sets them for CACHE_URL.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def post_request(client, world):
    payload = {"plant": world.owner_plant.pk, "part": world.part.pk, "quantity": 1}
    return client.post("/api/requests/", payload, format="json")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state", ["stopped", "frozen"])
def test_the_api_reads_and_writes_while_the_throttle_cache_fails(settings, caplog, frozen_redis, state):
    # given the throttles' cache is unreachable
    world = build_world(units=3)
    redis_cache_at(settings, STOPPED_URL if state == "stopped" else frozen_redis.url)
    client = client_for(world.users["owner"])

    # when a member writes twice and reads
    with caplog.at_level(logging.WARNING, logger="config.outage"):
        first, first_seconds = timed(lambda: post_request(client, world))
        asked_before = frozen_redis.bytes_received
        second, second_seconds = timed(lambda: post_request(client, world))
        listing, listing_seconds = timed(lambda: client.get("/api/requests/"))

    # then every call is served within the budget, the calls after the failure do without the cache
    # instead of waiting for it again, and the failure is logged once
    assert (first.status_code, second.status_code, listing.status_code) == (201, 201, 200)
    assert max(first_seconds, second_seconds, listing_seconds) < BUDGET_SECONDS
    if state == "frozen":
        assert asked_before > 0 and frozen_redis.bytes_received == asked_before
    assert PartRequest.objects.filter(plant=world.owner_plant).exclude(pk=world.request.pk).count() == 2
    assert caplog.text.count("The cache is failing") == 1


@pytest.mark.django_db(transaction=True)
def test_the_health_check_names_the_failing_cache(settings, frozen_redis):
    redis_cache_at(settings, frozen_redis.url)

    response, seconds = timed(lambda: client_for(None).get("/health/"))

    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("failing")
    assert response.json()["checks"]["database"] == "ok"
    assert seconds < BUDGET_SECONDS


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("state", ["stopped", "frozen"])
def test_the_api_writes_while_the_broker_fails_and_the_sweep_catches_up(caplog, frozen_redis, state):
    # given a broker that is unreachable
    world = build_world(units=3)
    client = client_for(world.users["owner"])
    source = client_for(world.users["other"])
    url = STOPPED_URL if state == "stopped" else frozen_redis.url

    with caplog.at_level(logging.WARNING), celery_publishing_to(url):
        # when a request is posted, then an offer made on it (an offer enqueues two tasks)
        created, created_seconds = timed(lambda: post_request(client, world))
        offer_body = {
            "request": created.json()["id"],
            "stock_item": world.other_stock.pk,
            "price": "25.00",
            "currency": "USD",
            "lead_time_days": 3,
            "quantity": 1,
        }
        offered, offered_seconds = timed(lambda: source.post("/api/matches/", offer_body, format="json"))

    # then both are answered within the budget
    assert created.status_code == 201, created.content
    assert offered.status_code == 201, offered.content
    assert created_seconds < BUDGET_SECONDS and offered_seconds < BUDGET_SECONDS
    assert "Could not enqueue exchange.tasks.match_request" in caplog.text
