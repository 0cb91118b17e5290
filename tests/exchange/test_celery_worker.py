"""A real Celery worker, on a real broker, matches a posted request (no eager mode).

Runs where CELERY_TEST_BROKER_URL names a broker (CI: Redis db 15, with
PostgreSQL). The worker runs in a thread with its own database connection,
so the data must be committed (transactional_db), and SQLite's in-memory
test database is out of its reach.
"""

import os
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection, connections

from config.celery import app
from exchange import services
from exchange.models import Match
from tests.factories import MembershipFactory, PartFactory, PlantFactory, stock_item

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "")

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not BROKER_URL, reason="set CELERY_TEST_BROKER_URL to run a real worker"),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="the worker thread cannot see SQLite's test database"),
]


def forget_broker_connections():
    # Even eager runs acquire a producer, so earlier tests left a pool bound to the
    # in-memory broker: without this, the worker's messages would go there.
    app.close()
    app.__dict__.pop("amqp", None)


@pytest.fixture
def real_worker(transactional_db):
    # config/celery.py loads Django settings under the CELERY_ namespace, and
    # app.conf answers from those keys first: override them, not task_always_eager.
    overrides = {"CELERY_TASK_ALWAYS_EAGER": False, "CELERY_BROKER_URL": BROKER_URL}
    saved = {name: app.conf[name] for name in overrides}
    tasks_run_in = {}

    def after_task(task=None, **kwargs):
        tasks_run_in.setdefault(task.name, set()).add(threading.get_ident())
        # The worker thread's connections would otherwise keep the test database from being dropped.
        connections.close_all()

    forget_broker_connections()
    app.conf.update(overrides)
    app.control.purge()
    task_postrun.connect(after_task, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield tasks_run_in
    finally:
        task_postrun.disconnect(after_task)
        forget_broker_connections()
        app.conf.update(saved)


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_posted_request_gets_its_matches_from_a_real_worker(real_worker):
    # given: a bearing in another plant's store
    requesting_plant = PlantFactory()
    requester = MembershipFactory(plant=requesting_plant).user
    part = PartFactory(numbers=[("SKF", "6205-2RSH")])
    source = stock_item(part=part, quantity=4)

    # when: the plant posts its shortage; the service only enqueues the engine run
    part_request = services.part_request_create(plant=requesting_plant, user=requester, number="6205-2RSH", quantity=2)

    # then: the worker runs it and the proposal appears
    assert wait_for(lambda: Match.objects.filter(request=part_request).exists()), "no match within 30 s"
    match = Match.objects.get(request=part_request)
    assert (match.stock_item_id, match.status, match.quantity) == (source.pk, Match.Status.PROPOSED, 2)
    assert threading.get_ident() not in real_worker["exchange.tasks.match_request"], "the task ran in-process"
