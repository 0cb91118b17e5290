"""exchange.tasks: what a task retries, and what it does not."""

import pytest
from django.db import DataError, IntegrityError, OperationalError
from psycopg import errors as psycopg_errors

from exchange import engine, tasks


def failing_once(error, calls):
    def part_request_match(*, part_request_id):
        calls.append(part_request_id)
        if len(calls) == 1:
            raise error
        return 3

    return part_request_match


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        OperationalError("could not serialize access due to concurrent update"),
        psycopg_errors.SerializationFailure("could not serialize access"),
        psycopg_errors.DeadlockDetected("deadlock detected"),
    ],
    ids=["lost connection", "serialization failure", "psycopg serialization failure", "psycopg deadlock"],
)
def test_a_task_retries_a_lost_connection_or_a_serialization_failure(monkeypatch, error):
    calls = []
    monkeypatch.setattr(engine, "part_request_match", failing_once(error, calls))

    # throw=False: the test settings propagate errors of eager tasks, retries included.
    result = tasks.match_request.apply(args=(7,), throw=False)

    # Read without get(): it refuses to wait once a test has started a worker in this process.
    assert (result.successful(), result.result, calls) == (True, 3, [7, 7])


@pytest.mark.parametrize("error", [IntegrityError("duplicate key value"), DataError("value too long")])
def test_a_task_never_retries_an_integrity_or_data_error(monkeypatch, error):
    calls = []
    monkeypatch.setattr(engine, "part_request_match", failing_once(error, calls))

    result = tasks.match_request.apply(args=(7,), throw=False)

    assert (result.failed(), result.result, calls) == (True, error, [7])
