"""Celery tasks: thin, idempotent, safe to retry. Each loads by id and calls a service."""

import logging

from celery import shared_task
from django.db import DatabaseError, OperationalError
from django.utils import timezone

from inventory.models import Capability, StockItem

from . import notifications, selectors, services
from .models import PartRequest

logger = logging.getLogger(__name__)

RETRY_POLICY = {
    "autoretry_for": (OperationalError, DatabaseError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}
# How many open requests one reverse-matching run re-matches; the periodic sweep covers the rest.
REVERSE_MATCH_LIMIT = 500
# Requests matched per transaction: large enough to share the round trips, small enough
# that a request a user is editing waits for its lock well under a second.
MATCH_BATCH = 100


def publish(task, *args):
    """Enqueue a task; if the broker is unreachable, log it and let the periodic sweep catch up."""
    try:
        task.delay(*args)
    except Exception:
        logger.exception("Could not enqueue %s%r; the periodic sweep will catch up.", task.name, args)


@shared_task(**RETRY_POLICY)
def match_request(part_request_id):
    try:
        services.part_request_match(part_request_id=part_request_id)
    except PartRequest.DoesNotExist:
        logger.info("Request %s no longer exists; nothing to match.", part_request_id)


@shared_task(**RETRY_POLICY)
def rematch_for_stock_item(stock_item_id):
    stock_item = StockItem.objects.filter(pk=stock_item_id).first()
    if stock_item is None or not stock_item.exchangeable:
        return 0
    request_ids = list(
        selectors.open_requests_for_stock_item(stock_item).values_list("id", flat=True)[:REVERSE_MATCH_LIMIT]
    )
    _match_in_batches(request_ids)
    return len(request_ids)


@shared_task(**RETRY_POLICY)
def rematch_for_capability(capability_id):
    capability = Capability.objects.filter(pk=capability_id).first()
    if capability is None:
        return 0
    rows = selectors.open_requests_for_capability(capability).values_list("id", "processes")
    request_ids = [request_id for request_id, processes in rows if capability.process in processes]
    _match_in_batches(request_ids[:REVERSE_MATCH_LIMIT])
    return min(len(request_ids), REVERSE_MATCH_LIMIT)


@shared_task(**RETRY_POLICY)
def rematch_open_requests():
    """The safety net: re-match every open request, least recently matched first."""
    request_ids = list(
        PartRequest.objects.filter(status=PartRequest.Status.OPEN)
        .order_by("matched_at", "id")
        .values_list("id", flat=True)
    )
    _match_in_batches(request_ids)
    logger.info("Re-matched %d open requests at %s.", len(request_ids), timezone.now().isoformat())
    return len(request_ids)


def _match_in_batches(request_ids):
    # One read of the capabilities serves every batch of a long run; a capability that changes
    # meanwhile has its own reverse-matching task.
    capability_index = selectors.capability_index() if len(request_ids) > MATCH_BATCH else None
    for start in range(0, len(request_ids), MATCH_BATCH):
        services.part_requests_match(
            part_request_ids=request_ids[start : start + MATCH_BATCH], capability_index=capability_index
        )


@shared_task(**RETRY_POLICY)
def expire_requests():
    return services.part_requests_expire()


@shared_task(**RETRY_POLICY)
def notify_match_event(match_id, event, actor_id, history_id):
    return notifications.match_event_send(match_id=match_id, event=event, actor_id=actor_id, history_id=history_id)


@shared_task(**RETRY_POLICY)
def notify_request_expired(part_request_id):
    return notifications.request_expired_notify(part_request_id=part_request_id)


@shared_task(**RETRY_POLICY)
def notify_proposals(match_ids):
    return notifications.proposals_notify(match_ids)


def on_stock_available(sender, stock_item_id, **kwargs):
    publish(rematch_for_stock_item, stock_item_id)


def on_capability_changed(sender, capability_id, **kwargs):
    publish(rematch_for_capability, capability_id)
