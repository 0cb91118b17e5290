"""DRF's throttles, failing open: when their cache fails, the request goes through.

A throttle protects the service; it must not be the reason the service is down. While the cache fails,
limits are not counted (config/outage.py remembers the failure, so a frozen cache costs one timeout per
interval, not one per request); /health/ reports the cache as failing meanwhile.
"""

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


class AnonRateThrottle(FailOpen, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpen, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpen, throttling.ScopedRateThrottle):
    pass
