"""A form sent twice creates one thing.

Every creating form carries a one-time key (``OnceForm.form_key``, a uuid drawn when the empty form is
drawn). ``create_once`` takes that key and runs the service in the same transaction, so the key is
recorded if and only if the thing was created. A repeat of the same key (a double tap, a retry after a
dropped connection, a back-and-resend) finds the first submission's row and gets its address instead of
creating again. Two concurrent submissions race for the key's unique index: on PostgreSQL the second
waits for the first to commit, then fails the insert and reads the row; SQLite takes the write lock up
front (transaction_mode IMMEDIATE), so the second simply finds the row.
"""

from collections.abc import Callable
from uuid import UUID

from django.db import IntegrityError, transaction

from .models import FormSubmission


def create_once(*, key: UUID, user, create: Callable[[], str]) -> str:
    """Run ``create`` (which creates and returns the new thing's address) once per key; return that address.

    A service error raised by ``create`` rolls the key back with everything else, so the corrected form
    can be sent again with the same key.
    """
    earlier = _earlier(key, user)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(key=key, user=user)
            submission.url = create()
            submission.save(update_fields=["url"])
            return submission.url
    except IntegrityError:
        earlier = _earlier(key, user)
        if earlier is None:
            raise
        return earlier


def _earlier(key: UUID, user) -> str | None:
    return FormSubmission.objects.filter(key=key, user=user).values_list("url", flat=True).first()
