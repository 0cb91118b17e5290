"""gunicorn's settings for production: gunicorn config.wsgi --config config/gunicorn.py

gunicorn writes its own `Server` header before the application's headers, so no middleware can remove
it, and it has no setting for it. Its responses take the name from gunicorn.http.wsgi.SERVER when each
is built: naming the service there keeps the software and its version unannounced.
"""

import os

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "intercambio"

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 60
accesslog = "-"
