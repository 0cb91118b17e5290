"""Body parsers that refuse what would cost the server more than the client: oversized, deeply nested,
NUL-laden or unreadable bodies are answered 413 or 400 before a view sees them.

DRF's JSON and form parsers read the request stream directly, bypassing
Django's DATA_UPLOAD_MAX_MEMORY_SIZE check on request.body; these restore it.
Multipart keeps Django's parser, which checks fields itself and streams files
to disk.
"""

import codecs
import re
from json import JSONDecodeError

from django.conf import settings
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.utils import json

# No body the API takes nests deeper than a few levels; Python's json recurses once per level.
MAX_JSON_DEPTH = 64
# A JSON string, escapes included: its brackets are text, not nesting.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = bytes.maketrans(b"[{]}", b"\x01\x01\x02\x02")
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[{]}")


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "request_too_large"


class BoundedParserMixin:
    def parse(self, stream, media_type=None, parser_context=None):
        refuse_oversized(parser_context)
        data = super().parse(stream, media_type, parser_context)
        refuse_nul(getattr(data, "data", data))
        return data


def refuse_oversized(parser_context) -> None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = (parser_context or {}).get("request")
    if limit is not None and request is not None and _declared_length(request) > limit:
        raise RequestBodyTooLarge()


def _declared_length(request) -> int:
    # The WSGI stream is limited to CONTENT_LENGTH, so an absent or garbled header reads nothing.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether ``body`` nests arrays and objects deeper than ``limit``, found before json.loads recurses.

    Strings go first (their brackets are text), then everything but the brackets. A run of more than
    ``limit`` openings is too deep at once; otherwise each pass drops the innermost pairs, one level of
    every branch, at C speed. A pair left after ``limit`` passes is nesting deeper than that; unbalanced
    leftovers without a pair are json.loads's to report.
    """
    brackets = _JSON_STRING.sub(b"", body).translate(_BRACKETS, _NOT_BRACKETS)
    too_deep = b"\x01" * (limit + 1)
    for _level in range(limit):
        if too_deep in brackets:
            return True
        remaining = brackets.replace(b"\x01\x02", b"")
        if len(remaining) == len(brackets):
            return False
        brackets = remaining
    return b"\x01\x02" in brackets


def refuse_nul(data) -> None:
    """PostgreSQL cannot store a NUL character in text: refuse it in any field, naming the field."""
    fields = data.lists() if hasattr(data, "lists") else data.items() if isinstance(data, dict) else []
    for name, value in fields:
        if _holds_nul(value):
            raise ValidationError({name: [_("Null characters are not allowed.")]})


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


class BoundedJSONParser(JSONParser):
    """Also refuses a body that is not one JSON object: every endpoint takes named fields."""

    def parse(self, stream, media_type=None, parser_context=None):
        refuse_oversized(parser_context)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read() if stream is not None else b""
        # Checked before parsing too: a megabyte-long array costs json.loads seconds only to be refused.
        if body.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] not in (b"{", b""):
            raise ParseError(_("The body must be a JSON object, with the fields named."))
        if json_depth_exceeds(body, MAX_JSON_DEPTH):
            raise ParseError(_("The JSON body is nested deeper than %(limit)d levels.") % {"limit": MAX_JSON_DEPTH})
        try:
            data = json.loads(codecs.decode(body, encoding), parse_constant=json.strict_constant)
        except JSONDecodeError as error:
            raise ParseError(
                _("The body is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": error.lineno, "column": error.colno}
            ) from error
        except (ValueError, LookupError) as error:
            raise ParseError(_("The body is not valid JSON.")) from error
        if not isinstance(data, dict):
            raise ParseError(_("The body must be a JSON object, with the fields named."))
        refuse_nul(data)
        return data


class BoundedFormParser(BoundedParserMixin, FormParser):
    pass


class BoundedMultiPartParser(MultiPartParser):
    """Files may be larger than other bodies (Django streams them to disk and bounds each field itself)."""

    def parse(self, stream, media_type=None, parser_context=None):
        boundary = parse_header_parameters(media_type or "")[1].get("boundary", "")
        marker = f"--{boundary}".encode()
        head = stream.read(len(marker)) if stream is not None else b""
        parsed = super().parse(_Prefixed(head, stream), media_type, parser_context)
        # Django reads a body in which its boundary never occurs as an empty form: the client meant something else.
        if not parsed.data and not parsed.files and head and head != marker:
            raise ParseError(_("The multipart body holds no part: check its boundary."))
        refuse_nul(parsed.data)
        return parsed


class _Prefixed:
    """A stream that gives back the bytes already read from it before the rest."""

    def __init__(self, head: bytes, stream):
        self.head, self.stream = head, stream

    def read(self, size=-1):
        if not self.head:
            return self.stream.read(size) if self.stream is not None else b""
        if size is None or size < 0:
            data, self.head = self.head + (self.stream.read() if self.stream is not None else b""), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        if len(data) < size and self.stream is not None:
            data += self.stream.read(size - len(data))
        return data


class ParsedBodyMixin:
    """A view whose actions take no input still parses what it is sent, so a malformed body is a 400
    instead of being ignored as if the client had sent nothing."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in {"POST", "PUT", "PATCH"}:
            request.data  # noqa: B018 (parsing is the point)
