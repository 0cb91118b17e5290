"""gunicorn's settings for production: gunicorn config.wsgi --config config/gunicorn.py

gunicorn writes its own `Server` header before the application's headers, so no middleware can remove
it, and it has no setting for it. Its responses take the name from gunicorn.http.wsgi.SERVER when each
is built: naming the service there keeps the software and its version unannounced.
"""

import gc
import os

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "intercambio"

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 60
accesslog = "-"


def post_worker_init(worker):
    """What a worker has loaded to serve (Django, the project, its URLconf and everything that imports) lives as
    long as the worker: frozen out of the garbage collector's sight, a full collection no longer walks it. On
    the national dataset one took 60-80 ms, every few hundred requests, inside whichever request set it off."""
    from django.urls import resolve

    resolve("/")  # loads the URLconf, and so every view, serializer and admin it names
    gc.collect()
    gc.freeze()
