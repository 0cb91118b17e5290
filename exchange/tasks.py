"""Celery tasks: thin, idempotent, safe to retry. Each takes ids and calls one engine or service function."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from psycopg import errors as psycopg_errors

from config import outage

from . import engine, notifications, services

logger = logging.getLogger(__name__)

# What passes if the task runs again: a lost connection, a serialization failure, a deadlock.
# Django raises the last two (SQLSTATE class 40) as its OperationalError; psycopg's own classes
# are listed for where one escapes Django's wrapper. Never DatabaseError: it includes
# IntegrityError and DataError, which a retry would only repeat.
RETRIED_ERRORS = (
    OperationalError,
    psycopg_errors.SerializationFailure,
    psycopg_errors.DeadlockDetected,
)
RETRY_POLICY = {
    "autoretry_for": RETRIED_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


# What an unreachable or frozen broker raises; a task that fails while running eagerly is not one.
BROKER_ERRORS = (KombuOperationalError, OSError)


def publish(task, *args):
    """Enqueue a task; if the broker is unreachable, log it and let the periodic sweep catch up."""
    if outage.broker.active():
        # A publish failed moments ago: waiting for the broker's timeout again would only slow the write.
        logger.error(
            "Could not enqueue %s%r: the broker is failing; the periodic sweep will catch up.", task.name, args
        )
        return
    try:
        task.delay(*args)
    except Exception as error:
        if isinstance(error, BROKER_ERRORS):
            outage.broker.start(error)
        logger.exception("Could not enqueue %s%r; the periodic sweep will catch up.", task.name, args)


@shared_task(**RETRY_POLICY)
def match_request(part_request_id):
    return engine.part_request_match(part_request_id=part_request_id)


@shared_task(**RETRY_POLICY)
def rematch_for_stock_item(stock_item_id):
    return engine.rematch_for_stock_item(stock_item_id=stock_item_id)


@shared_task(**RETRY_POLICY)
def rematch_for_capability(capability_id):
    return engine.rematch_for_capability(capability_id=capability_id)


@shared_task(**RETRY_POLICY)
def refresh_proposals(stock_item_ids, workshop_plant_ids):
    return engine.proposals_refresh(stock_item_ids=stock_item_ids, workshop_plant_ids=workshop_plant_ids)


@shared_task(**RETRY_POLICY)
def rematch_for_interchange(interchange_id):
    return engine.rematch_for_interchange(interchange_id=interchange_id)


@shared_task(**RETRY_POLICY)
def rematch_open_requests():
    """The safety net: re-match every open request, most urgent first."""
    rematched = engine.rematch_open_requests()
    logger.info("Re-matched %d open requests at %s.", rematched, timezone.now().isoformat())
    return rematched


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
def notify_clearance_decided(clearance_id):
    return notifications.clearance_decided_notify(clearance_id=clearance_id)


@shared_task(**RETRY_POLICY)
def notify_proposals(match_ids):
    return notifications.proposals_notify(match_ids)


def on_stock_available(sender, stock_item_id, **kwargs):
    publish(rematch_for_stock_item, stock_item_id)


def on_stock_fell(sender, stock_item_ids, **kwargs):
    publish(refresh_proposals, stock_item_ids, [])


def on_capability_changed(sender, capability_id, plant_id, **kwargs):
    publish(rematch_for_capability, capability_id)
    publish(refresh_proposals, [], [plant_id])


def on_capability_deleting(sender, capability_id, **kwargs):
    # In the deleting transaction: the proposals the engine may withdraw no longer hold the capability back.
    engine.proposals_withdraw_for_capability(capability_id=capability_id)


def on_interchange_changed(sender, interchange_id, **kwargs):
    publish(rematch_for_interchange, interchange_id)
