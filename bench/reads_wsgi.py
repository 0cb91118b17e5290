"""The project's WSGI application under bench/reads.py's URLconf, for `bench/reads.py --over-http` to serve with gunicorn."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.reads_urls"
