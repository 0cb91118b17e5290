"""The error answers of every operation, added to the published schema in one place.

drf-spectacular documents what each view declares, and most declare only
their success. A client (or schemathesis) must also know the shape of the
400, 401, 403, 404, 409, 413, 415, 429 and 503 answers config/exceptions.py
and DRF give; ids and page sizes start at 1.
"""

from django.utils.translation import gettext_lazy as _

ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}
COMPONENTS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": str(
            _(
                "Each offending field with its messages (nested for lists and objects), "
                "or a 'detail' when the body itself could not be read."
            )
        ),
        "additionalProperties": True,
    },
}
WRITES = {"post", "put", "patch", "delete"}


def _answer(description, schema):
    return {"description": str(description), "content": {"application/json": {"schema": schema}}}


def _errors_for(path: str, method: str, operation: dict) -> dict:
    answers = {
        "401": _answer(_("No credentials, or credentials that are not valid."), ERROR),
        "403": _answer(_("The caller may not do this, or not for this plant."), ERROR),
        "429": _answer(_("Too many requests; wait before trying again."), ERROR),
        "503": _answer(_("The database is unavailable for a moment: try again."), ERROR),
    }
    if method in WRITES - {"delete"} or operation.get("parameters"):
        answers["400"] = _answer(_("Input that is not valid, with each offending field named."), FIELD_ERRORS)
    if "{" in path:
        answers["404"] = _answer(_("No such object, or not one the caller may see."), ERROR)
    if method in WRITES:
        answers["409"] = _answer(_("The current state does not allow this, or the change conflicts."), ERROR)
    if method in WRITES - {"delete"}:
        answers["413"] = _answer(_("The request body is too large."), ERROR)
        answers["415"] = _answer(_("The body's media type is not one the operation reads."), ERROR)
    return answers


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, answer in _errors_for(path, method, operation).items():
                declared = responses.setdefault(code, answer)
                # A view's own 409 names its reason but not its body.
                declared.setdefault("content", answer["content"])
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id":
                    parameter["schema"]["minimum"] = 1
    return result
