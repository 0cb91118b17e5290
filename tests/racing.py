"""Calls made at the same instant, each in its own thread, for the races the tests run on PostgreSQL."""

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def all_at_once(calls: Sequence[Callable[[], object]]) -> list:
    """Run each call in its own thread, all released together by a barrier; in the calls' order, what each
    returned or the exception it raised. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as error:  # the test reads it as an outcome
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def named(results: list, *, done: str, refusals: dict[type[Exception], str]) -> list[str]:
    """Each outcome of all_at_once by name: ``done`` for a call that returned, the refusal named for its
    exception's type, or the exception itself, spelled out, so that an unexpected one shows in the assertion."""

    def name(result):
        for error_type, refusal in refusals.items():
            if isinstance(result, error_type):
                return refusal
        return f"{type(result).__name__}: {result}" if isinstance(result, Exception) else done

    return [name(result) for result in results]
