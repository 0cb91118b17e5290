"""DRF's throttles, failing open: when their cache fails, the request goes through.

A throttle protects the service; it must not be the reason the service is down. While the cache fails,
limits are not counted (config/outage.py remembers the failure, so a frozen cache costs one timeout per
interval, not one per request); /health/ reports the cache as failing meanwhile.
"""

from array import array

from redis.exceptions import RedisError
from rest_framework import throttling

from config import outage

CACHE_ERRORS = (RedisError, OSError)


class FailOpen:
    def allow_request(self, request, view):
        if outage.cache.active():
            return True
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as error:
            outage.cache.start(error)
            return True


class PackedHistory:
    """DRF's sliding window, with each caller's request times kept as one packed array of floats.

    DRF keeps a list, which the cache pickles one float at a time on every request: at a thousand
    requests in the window that cost a fast list seven times its packed copy's time.
    """

    def throttle_success(self):
        if not isinstance(self.history, array):
            self.history = array("d", self.history)
        return super().throttle_success()


class AnonRateThrottle(FailOpen, PackedHistory, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpen, PackedHistory, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpen, PackedHistory, throttling.ScopedRateThrottle):
    pass
