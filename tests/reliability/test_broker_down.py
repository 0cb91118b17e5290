import logging
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exchange.models import PartRequest
from exchange.tasks import rematch_open_requests
from tests.conftest import client_for
from tests.world import build_world

from .real_services import celery_publishing_to

# Nothing listens here: connecting is refused at once, as when Redis is stopped.
DEAD_BROKER_URL = "redis://127.0.0.1:6390/0"
# A web request must not wait on a dead broker for longer than this.
PUBLISH_BUDGET_SECONDS = 3
# Nor on a frozen one (it accepts connections, never answers) for longer than this, under production settings.
FROZEN_BROKER_BUDGET_SECONDS = 8
ROOT = Path(__file__).resolve().parent.parent.parent
PUBLISH_ONCE = """
import time, django
django.setup()
from exchange import tasks
started = time.monotonic()
tasks.publish(tasks.match_request, 1)
print(f"{time.monotonic() - started:.1f}")
"""


@pytest.mark.django_db(transaction=True)
def test_request_is_saved_while_the_broker_is_down_and_the_sweep_matches_it(caplog):
    world = build_world(units=3)

    with caplog.at_level(logging.ERROR, logger="exchange.tasks"), celery_publishing_to(DEAD_BROKER_URL):
        started = time.monotonic()
        part_request = world.new_request(quantity=2)
        elapsed = time.monotonic() - started

    assert PartRequest.objects.filter(pk=part_request.pk, status=PartRequest.Status.OPEN).exists()
    assert not part_request.matches.exists()
    assert f"Could not enqueue exchange.tasks.match_request({part_request.pk},)" in caplog.text
    assert elapsed < PUBLISH_BUDGET_SECONDS

    # when the broker is back, the periodic sweep runs
    rematch_open_requests()

    assert list(part_request.matches.values_list("stock_item", "quantity")) == [(world.other_stock.pk, 2)]


@pytest.mark.django_db(transaction=True)
def test_api_answers_201_while_the_broker_is_down(caplog):
    world = build_world(units=3)
    payload = {"plant": world.owner_plant.pk, "part": world.part.pk, "quantity": 1}

    with caplog.at_level(logging.ERROR, logger="exchange.tasks"), celery_publishing_to(DEAD_BROKER_URL):
        started = time.monotonic()
        response = client_for(world.users["owner"]).post("/api/requests/", payload, format="json")
        elapsed = time.monotonic() - started

    assert response.status_code == 201
    assert PartRequest.objects.get(pk=response.json()["id"]).status == PartRequest.Status.OPEN
    assert "Could not enqueue exchange.tasks.match_request" in caplog.text
    assert elapsed < PUBLISH_BUDGET_SECONDS


def test_a_frozen_broker_holds_an_enqueue_only_seconds_in_production():
    frozen_broker = socket.create_server(("127.0.0.1", 0))  # the kernel accepts connections; nobody answers
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{frozen_broker.getsockname()[1]}/0",
    }
    with frozen_broker:
        result = subprocess.run(
            [sys.executable, "-c", PUBLISH_ONCE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=FROZEN_BROKER_BUDGET_SECONDS * 4,
        )

    assert result.returncode == 0, result.stderr
    assert "Could not enqueue exchange.tasks.match_request" in result.stderr
    assert float(result.stdout.strip()) < FROZEN_BROKER_BUDGET_SECONDS
