"""config/gunicorn.py: a worker, once its application is loaded, keeps what it loaded out of the collector's walks."""

import gc

from config import gunicorn


def test_a_worker_freezes_what_it_loaded_with_the_urlconf():
    gc.unfreeze()
    try:
        gunicorn.post_worker_init(worker=None)

        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
