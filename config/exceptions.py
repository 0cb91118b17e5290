"""One place that turns domain errors into HTTP answers."""

import logging

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from inventory.errors import ConflictError

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        # Django names errors of no one field "__all__" (a model's unique constraints); DRF, non_field_errors.
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        # Django's message names the model in English ("No Match matches the given query."): DRF's own, translated.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, IntegrityError):
        return Response({"detail": _("The change conflicts with existing data.")}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DataError):
        # A value the database cannot store (a NUL character, a number out of its column's range) that
        # validation let through: the same input would fail again, so it is never answered "retry".
        logger.warning("Input the database refused answered 400: %s", exc)
        return Response(
            {"detail": _("A value is out of the range the database can store.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, OperationalError):
        # A lost connection, a deadlock or a serialization failure: the transaction was rolled back whole,
        # and the same request may succeed when tried again. Other database errors are bugs: a 500.
        logger.exception("Database error answered 503", exc_info=exc)
        return Response(
            {"detail": _("The database is busy or unavailable. Try again shortly.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return drf_exception_handler(exc, context)
