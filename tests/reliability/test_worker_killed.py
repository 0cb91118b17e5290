import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis
from django.db import connection

from bench.invariants import invariant_violations
from exchange.models import Match, MatchStatusChange, PartRequest
from exchange.tasks import match_request
from tests.factories import PlantFactory, stock_item

from .real_services import RELIABILITY_BROKER_URL, celery_publishing_to, requires_real_services
from .world import World

CELERY = Path(sys.executable).parent / "celery"
WAIT_SECONDS = 60

pytestmark = [requires_real_services, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _wait_for(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {WAIT_SECONDS} s waiting for {what}")
        time.sleep(0.2)


def _database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(log_path):
    """A real prefork worker with one child, on the test database and the reliability broker."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": RELIABILITY_BROKER_URL}
    command = [
        str(CELERY),
        "-A",
        "config",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        "1",
        "--loglevel",
        "info",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"reliability-{os.getpid()}@%h",
    ]
    with open(log_path, "w") as log:
        worker = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield worker
    finally:
        # The worker and its children form their own process group, started above.
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _children(pid):
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


@contextmanager
def row_locked(table, row_id):
    """Hold a row lock from another connection, as a long transaction elsewhere would."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    ) as locker:
        locker.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [row_id])
        try:
            yield
        finally:
            locker.rollback()


def _sessions_waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_request_gets_its_matches_once_after_the_worker_dies_mid_task(tmp_path):
    # given a request whose matching task waits in the broker, and two stores that hold the part
    world = World(units=4)
    other_store = stock_item(plant=PlantFactory(latitude=10.5, longitude=-66.9), part=world.part, quantity=1)
    redis.Redis.from_url(RELIABILITY_BROKER_URL).flushdb()
    with celery_publishing_to(RELIABILITY_BROKER_URL):
        part_request = world.request(quantity=2)
    log_path = tmp_path / "worker.log"

    with celery_worker(log_path) as worker:
        with row_locked(part_request._meta.db_table, part_request.pk):
            # when the worker's child is killed while it waits inside the matching transaction
            _wait_for(lambda: _sessions_waiting_on_a_lock() > 0, "the worker to block on the request's row")
            (child,) = _children(worker.pid)
            os.kill(child, signal.SIGKILL)
            _wait_for(lambda: "WorkerLostError" in log_path.read_text(), "the worker to notice its child died")
        # then the message comes back and a new child matches the request
        _wait_for(lambda: part_request.matches.count() == 2, "the matches")
        _wait_for(lambda: _sessions_waiting_on_a_lock() == 0, "the worker to finish")

    matches = part_request.matches.order_by("stock_item_id")
    assert [(m.stock_item_id, m.quantity, m.status) for m in matches] == [
        (world.stock.pk, 2, Match.Status.PROPOSED),
        (other_store.pk, 1, Match.Status.PROPOSED),
    ]
    assert MatchStatusChange.objects.filter(match__request=part_request).count() == 2
    received = [line for line in log_path.read_text().splitlines() if line.endswith("] received")]
    matching_received = [line for line in received if "exchange.tasks.match_request[" in line]
    assert len(matching_received) == 2, "the killed task was not delivered again"
    assert invariant_violations() == []


def _matched_at(part_request):
    return PartRequest.objects.values_list("matched_at", flat=True).get(pk=part_request.pk)


def test_running_the_matching_task_twice_duplicates_nothing(tmp_path):
    world = World(units=4)
    redis.Redis.from_url(RELIABILITY_BROKER_URL).flushdb()

    with celery_worker(tmp_path / "worker.log"), celery_publishing_to(RELIABILITY_BROKER_URL):
        part_request = world.request(quantity=2)
        _wait_for(lambda: _matched_at(part_request) is not None, "the first matching run")
        first_run = _matched_at(part_request)

        match_request.delay(part_request.pk)
        _wait_for(lambda: _matched_at(part_request) != first_run, "the second matching run")

    assert list(part_request.matches.values_list("stock_item", "quantity")) == [(world.stock.pk, 2)]
    assert MatchStatusChange.objects.filter(match__request=part_request).count() == 1
