"""The exchange-wide figures of /api/stats/ and the dashboard, computed at most once per FIGURES_CACHE_SECONDS.

Each pass over the matches and requests grows with the country's data; for a few seconds every worker
reads the last pass from the shared cache instead, and says when it was computed. While the cache fails
(config.outage), each request computes its own, exact figures.
"""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from config import outage
from config.throttling import CACHE_ERRORS

from . import savings, selectors


def _cached(name: str, compute) -> tuple[dict, datetime]:
    seconds = settings.FIGURES_CACHE_SECONDS
    if seconds <= 0 or outage.cache.active():
        return compute(), timezone.now()
    key = f"exchange:figures:{name}"
    try:
        figures = cache.get(key)
    except CACHE_ERRORS as error:
        outage.cache.start(error)
        figures = None
    if figures is None:
        figures = (compute(), timezone.now())
        try:
            cache.set(key, figures, seconds)
        except CACHE_ERRORS as error:
            outage.cache.start(error)
    return figures


def exchange_stats() -> tuple[dict, datetime]:
    """savings.exchange_stats and when it was computed."""
    return _cached("stats", savings.exchange_stats)


def dashboard_figures() -> tuple[dict, datetime]:
    """The dashboard's figures (savings, the review workload, the shortages) and when they were computed."""
    return _cached(
        "dashboard",
        lambda: {
            "summary": savings.savings_summary(),
            "awaiting": selectors.proposals_awaiting_review(),
            "stopped_downtime": selectors.open_stopped_downtime(),
            "open_by_criticality": selectors.open_requests_by_criticality(),
            "states_with_most_open_requests": selectors.states_with_most_open_requests(),
        },
    )
