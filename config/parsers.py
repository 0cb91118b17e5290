"""Body parsers that refuse oversized bodies before reading them.

DRF's JSON and form parsers read the request stream directly, bypassing
Django's DATA_UPLOAD_MAX_MEMORY_SIZE check on request.body; these restore it.
Multipart keeps Django's parser, which checks fields itself and streams files
to disk.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, JSONParser


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class BoundedParserMixin:
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if limit is not None and request is not None and _declared_length(request) > limit:
            raise RequestBodyTooLarge()
        return super().parse(stream, media_type, parser_context)


def _declared_length(request) -> int:
    # The WSGI stream is limited to CONTENT_LENGTH, so an absent or garbled header reads nothing.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class BoundedJSONParser(BoundedParserMixin, JSONParser):
    pass


class BoundedFormParser(BoundedParserMixin, FormParser):
    pass
