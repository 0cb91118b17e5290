"""One JSON line per request in production, with a request id sent back and carried into enqueued tasks."""

import json
import logging
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from celery.signals import before_task_publish, task_prerun
from django.conf import settings
from django.utils.module_loading import import_string

from config import request_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="exchange.request")
    return caplog


def test_each_request_logs_one_line_with_its_facts(client, django_user_model, request_lines):
    user = django_user_model.objects.create_user("lector", password="x-long-password-1")
    client.force_login(user)

    response = client.get("/health/")

    [record] = [r for r in request_lines.records if r.name == "exchange.request"]
    assert (record.method, record.path, record.status, record.user_id) == ("GET", "/health/", 200, user.pk)
    assert record.duration_ms >= 0
    assert record.request_id == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32


def test_production_formats_the_line_as_json(client, request_lines):
    client.get("/health/", HTTP_X_REQUEST_ID="nginx-4f1c2a9b")
    [record] = [r for r in request_lines.records if r.name == "exchange.request"]
    formatter_config = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(formatter_config.pop("()"))(**formatter_config)

    line = json.loads(formatter.format(record))

    assert line["request_id"] == "nginx-4f1c2a9b"
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/health/", 200, None)
    assert line["level"] == "INFO" and line["logger"] == "exchange.request"
    assert isinstance(line["duration_ms"], float)


def test_an_untrusted_request_id_is_replaced(client):
    response = client.get("/health/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert response["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(response["X-Request-ID"]) == 32


def test_the_request_id_travels_with_an_enqueued_task():
    headers = {}
    token = request_log.current_request_id.set("req-12345678")
    try:
        before_task_publish.send(sender="exchange.tasks.match_request", headers=headers, body=None)
    finally:
        request_log.current_request_id.reset(token)
    assert headers["request_id"] == "req-12345678"

    task = SimpleNamespace(request=SimpleNamespace(request_id=headers["request_id"]))
    task_prerun.send(sender="exchange.tasks.match_request", task=task, task_id="t1")
    try:
        record = logging.LogRecord("exchange.tasks", logging.INFO, __file__, 1, "matched", None, None)
        request_log.RequestIdFilter().filter(record)
        assert record.request_id == "req-12345678"
    finally:
        request_log.current_request_id.set("")


def test_production_settings_log_json_and_the_newcomer_plain_text():
    script = (
        "import json, config.settings.production as p, config.settings.base as b;"
        "print(json.dumps([p.LOGGING['handlers']['console'].get('formatter'), p.LOGGING['loggers']['exchange.request'],"
        " b.LOGGING['handlers']['console'].get('formatter'), b.LOGGING['loggers']['exchange.request']]))"
    )
    environment = {**os.environ, "SECRET_KEY": "k" * 60}
    output = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True)

    assert json.loads(output.stdout) == ["json", {"level": "INFO"}, None, {"level": "WARNING"}]


def test_the_newcomers_console_is_not_filled_by_in_process_tasks():
    script = (
        "import os; os.environ.pop('CELERY_BROKER_URL', None); import json, config.settings.base as b;"
        "print(json.dumps([b.LOGGING['loggers'].get('celery.app.trace'), b.LOGGING['loggers'].get('kombu.connection')]))"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)

    assert json.loads(output.stdout) == [{"level": "WARNING"}, {"level": "ERROR"}]


def test_with_a_real_broker_the_task_lines_stay():
    script = (
        "import json, config.settings.base as b;"
        "print(json.dumps([b.LOGGING['loggers'].get('celery.app.trace'), b.LOGGING['loggers'].get('kombu.connection')]))"
    )
    environment = {**os.environ, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}
    output = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True)

    assert json.loads(output.stdout) == [None, None]
