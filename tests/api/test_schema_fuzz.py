"""Schemathesis drives every operation of the published schema in-process: no 5xx, responses as documented."""

from collections import Counter

import pytest
import schemathesis
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.stateful.dependencies import inject_links

from config.wsgi import application

# Valid input for an administrator and a plant member; invalid input (answered 4xx whoever asks) for the administrator.
VALID_EXAMPLES_PER_USER = 8
INVALID_EXAMPLES = 7
# The thorough run (pytest -m fuzz): every operation with this many examples, then sequences of calls.
FUZZ_EXAMPLES = 100
FUZZ_SEQUENCES = 60
FUZZ_STEPS = 8
# The spreadsheet upload is multipart, not JSON; tests/spreadsheets covers it. Its downloads are fuzzed here.
SPREADSHEET_PATHS = ("/api/stock/import/",)
# Photo uploads are multipart only; tests/api/test_photos.py covers them.
PHOTO_UPLOAD_SUFFIX = "/photos/"
CHECKS = [not_a_server_error, response_schema_conformance]


# The WSGI transport does not decompress; JSON answers are gzipped for clients that ask (the stateful
# phase's session asks by default), so every call asks for the answer as it is.
def headers_for(token) -> dict:
    return {"Authorization": f"Token {token}", "Accept-Encoding": "identity"}


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
        case.call_and_validate(headers=headers_for(token), checks=CHECKS)
        sent.append(case)

    run()
    return len(sent)


def has_input(operation) -> bool:
    return bool(len(operation.query) or len(operation.path_parameters) or operation.body)


def test_the_schema_and_its_docs_are_served(db):
    assert len(list(schemathesis.openapi.from_wsgi("/api/schema/", application).get_all_operations())) >= 45
    docs = Client().get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def fuzzed_operations(schema):
    return [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if not operation.path.startswith(SPREADSHEET_PATHS) and not operation.path.endswith(PHOTO_UPLOAD_SUFFIX)
    ]


@pytest.mark.timeout(600)
def test_every_operation_survives_generated_input(transactional_db, world):
    operations = fuzzed_operations(json_only_schema())
    admin_token, member_token = (AuthToken.objects.create(user=world.users[role])[1] for role in ("admin", "owner"))

    sent = 0
    for operation in operations:
        for token in (admin_token, member_token):
            sent += exercise(operation, GenerationMode.POSITIVE, token, VALID_EXAMPLES_PER_USER)
        if has_input(operation):
            sent += exercise(operation, GenerationMode.NEGATIVE, admin_token, INVALID_EXAMPLES)

    assert len(operations) >= 45
    assert sent >= 1000


@pytest.mark.fuzz
@pytest.mark.timeout(1800)
def test_every_operation_survives_a_hundred_examples(transactional_db, world):
    operations = fuzzed_operations(json_only_schema())
    admin_token, member_token = (AuthToken.objects.create(user=world.users[role])[1] for role in ("admin", "owner"))

    sent = Counter()
    for operation in operations:
        half = FUZZ_EXAMPLES // 2
        sent[operation.label] += exercise(operation, GenerationMode.POSITIVE, admin_token, half)
        sent[operation.label] += exercise(operation, GenerationMode.POSITIVE, member_token, half)
        if has_input(operation):
            sent[operation.label] += exercise(operation, GenerationMode.NEGATIVE, admin_token, half)

    # Hypothesis stops early where an operation takes no input: a few calls exhaust it.
    assert sum(sent.values()) >= FUZZ_EXAMPLES * sum(1 for operation in operations if has_input(operation))


@pytest.mark.fuzz
@pytest.mark.timeout(1800)
def test_sequences_of_calls_linked_by_their_ids_survive(db, world):
    schema = json_only_schema()
    # drf-spectacular writes no OpenAPI links: schemathesis infers them from the ids each response names.
    assert inject_links(schema) > 0
    token = AuthToken.objects.create(user=world.users["admin_member"])[1]
    steps, failures = Counter(), []

    class Exchange(schema.as_state_machine()):
        # Every sequence starts from the same world: hypothesis requires that the same choices meet the same
        # answers, and a database that remembered earlier sequences would answer them differently.
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": headers_for(token)}

        # Failures are collected, not raised: hypothesis would replay the sequence against a database that
        # has moved on, and report its own confusion instead of the failure.
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            steps[response.status_code // 100] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as failure:  # schemathesis raises a group of any check's failures
                failures.append(f"{case.method} {case.formatted_path} {response.status_code}: {failure}"[:600])

    Exchange.run(
        settings=settings(
            max_examples=FUZZ_SEQUENCES,
            stateful_step_count=FUZZ_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
    )

    assert failures == []
    assert steps[2] > 0 and steps[5] == 0, steps
