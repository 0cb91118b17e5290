"""One log line per request, and a request id that follows the request into the tasks it enqueues.

The id is taken from the proxy's `X-Request-ID` when it looks like one (so a
line in nginx's log and ours can be joined), made up otherwise, and sent back
in the response's `X-Request-ID`. Every log record of the request, and of a
task it enqueued, carries it as `request_id`.
"""

import contextvars
import logging
import re
import time
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

logger = logging.getLogger("exchange.request")

HEADER = "X-Request-ID"
_TRUSTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
current_request_id = contextvars.ContextVar("request_id", default="")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = getattr(record, "request_id", "") or current_request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _TRUSTED_ID.match(given) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            current_request_id.reset(token)


@before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    request_id = current_request_id.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@task_prerun.connect
def _receive_request_id(task=None, **kwargs):
    # Celery puts a message's custom headers on the task's request as attributes.
    current_request_id.set(getattr(task.request, "request_id", None) or "")


@task_postrun.connect
def _forget_request_id(**kwargs):
    current_request_id.set("")
