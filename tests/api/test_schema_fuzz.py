"""Schemathesis drives every operation of the published schema in-process: no 5xx, responses as documented."""

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application

# Valid input for an administrator and a plant member; invalid input (answered 4xx whoever asks) for the administrator.
VALID_EXAMPLES_PER_USER = 8
INVALID_EXAMPLES = 7
# The spreadsheet upload is multipart, not JSON; tests/spreadsheets covers it. Its downloads are fuzzed here.
SPREADSHEET_PATHS = ("/api/stock/import/",)
# Photo uploads are multipart only; tests/api/test_photos.py covers them.
PHOTO_UPLOAD_SUFFIX = "/photos/"
CHECKS = [not_a_server_error, response_schema_conformance]


def json_only_schema():
    """The published schema, fuzzed through its JSON bodies: form encodings serve only the browsable API."""
    raw = Client().get("/api/schema/?format=json").json()
    for path in raw["paths"].values():
        for operation in path.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media_type in [media_type for media_type in content if media_type != "application/json"]:
                del content[media_type]
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = application
    return schema


def exercise(operation, mode, token, examples) -> int:
    sent = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case):
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
        sent.append(case)

    run()
    return len(sent)


def has_input(operation) -> bool:
    return bool(len(operation.query) or len(operation.path_parameters) or operation.body)


def test_the_schema_and_its_docs_are_served(db):
    assert len(list(schemathesis.openapi.from_wsgi("/api/schema/", application).get_all_operations())) >= 45
    docs = Client().get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


@pytest.mark.timeout(600)
def test_every_operation_survives_generated_input(transactional_db, world):
    operations = [
        operation
        for operation in (result.ok() for result in json_only_schema().get_all_operations())
        if not operation.path.startswith(SPREADSHEET_PATHS) and not operation.path.endswith(PHOTO_UPLOAD_SUFFIX)
    ]
    admin_token, member_token = (AuthToken.objects.create(user=world.users[role])[1] for role in ("admin", "owner"))

    sent = 0
    for operation in operations:
        for token in (admin_token, member_token):
            sent += exercise(operation, GenerationMode.POSITIVE, token, VALID_EXAMPLES_PER_USER)
        if has_input(operation):
            sent += exercise(operation, GenerationMode.NEGATIVE, admin_token, INVALID_EXAMPLES)

    assert len(operations) >= 45
    assert sent >= 1000
