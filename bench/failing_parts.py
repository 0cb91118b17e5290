"""What a web request waits for when Redis fails, as broker or as cache, under the production settings.

    python bench/failing_parts.py

For each part and state, a stopped Redis (a port where nothing listens) and a frozen one (a socket that
accepts connections and never answers), it times three consecutive enqueues (exchange.tasks.publish) or
three consecutive throttle checks (config.throttling.UserRateThrottle), each in a fresh process, and
prints the seconds each took. Needs no database. docs/hardening.md keeps the figures.
"""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOPPED_PORT = 6390

BROKER = """
import time, django
django.setup()
from exchange import tasks
for _ in range(3):
    started = time.monotonic()
    tasks.publish(tasks.match_request, 1)
    print(f"{time.monotonic() - started:.2f}", end=" ")
"""

CACHE = """
import time, django
django.setup()
from types import SimpleNamespace
from config.throttling import UserRateThrottle
request = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=1), META={"REMOTE_ADDR": "10.0.0.1"})
for _ in range(3):
    started = time.monotonic()
    assert UserRateThrottle().allow_request(request, None)
    print(f"{time.monotonic() - started:.2f}", end=" ")
"""


def run(code, **env):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    return result.stdout.strip() or result.stderr.strip().splitlines()[-1]


def main():
    frozen = socket.create_server(("127.0.0.1", 0))  # the kernel accepts connections; nobody answers
    urls = {
        "stopped": f"redis://127.0.0.1:{STOPPED_PORT}/0",
        "frozen": f"redis://127.0.0.1:{frozen.getsockname()[1]}/0",
    }
    with frozen:
        for state, url in urls.items():
            print(f"broker {state}: publish seconds {run(BROKER, CELERY_BROKER_URL=url)}")
            print(f"cache {state}: throttle seconds {run(CACHE, CACHE_URL=url)}")


if __name__ == "__main__":
    main()
