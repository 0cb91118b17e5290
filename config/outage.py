"""Remembering, per process, that a part (the cache, the broker) has just failed.

A frozen Redis costs each call its full socket timeout. Once a call has failed, the next ones within
``seconds`` do without the part at once instead of waiting again, and the failure is logged once per
interval, not once per request.
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)


class Outage:
    def __init__(self, part: str, seconds: float, consequence: str):
        self.part = part
        self.seconds = seconds
        self.consequence = consequence
        self._until = 0.0
        self._lock = threading.Lock()

    def active(self) -> bool:
        return time.monotonic() < self._until

    def start(self, error: BaseException) -> None:
        with self._lock:
            if self.active():
                return
            self._until = time.monotonic() + self.seconds
        logger.warning(
            "The %s is failing (%s); %s for the next %d s.",
            self.part,
            type(error).__name__,
            self.consequence,
            self.seconds,
        )

    def end(self) -> None:
        self._until = 0.0


cache = Outage("cache", 30, "throttles let every request through")
broker = Outage("broker", 30, "tasks are not enqueued and the periodic sweep catches up")
