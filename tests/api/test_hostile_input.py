"""Hostile bodies (deep, NUL-laden, sloppy numbers, malformed) are a 400 naming the problem: never a 500 or a 503."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, OperationalError

from exchange.models import Match
from inventory import services as inventory_services
from inventory.models import Part, Plant, StockItem
from tests.conftest import client_for


def deep(levels: int, opening="[", closing="]") -> str:
    return opening * levels + closing * levels


def deep_arrays(levels: int) -> str:
    return '{"a":' + deep(levels) + "}"


def deep_object(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def send(client, method, path, body, content_type="application/json"):
    return client.generic(method, path, body, content_type=content_type)


# Deep JSON


@pytest.mark.parametrize("levels", [65, 1_000, 100_000])
@pytest.mark.parametrize("shape", [deep_arrays, deep_object], ids=["arrays", "objects"])
def test_deeply_nested_json_is_a_400_naming_the_depth(world, levels, shape):
    for role, path in [("owner", "/api/requests/"), ("admin", f"/api/matches/{world.match.pk}/approve/")]:
        response = send(world.client(role), "POST", path, shape(levels))

        assert response.status_code == 400, (path, response.status_code)
        assert "nested" in response.json()["detail"]


def test_the_anonymous_token_endpoint_refuses_deep_json(db):
    response = send(client_for(None), "POST", "/api/auth/token/", deep_object(5_000))

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_nesting_inside_strings_does_not_count(world):
    body = json.dumps({"plant": world.owner_plant.pk, "part": world.part.pk, "quantity": 1, "description": "[{" * 500})

    response = send(world.client("owner"), "POST", "/api/requests/", body)

    assert response.status_code == 201, response.content


def test_a_large_body_with_one_branch_too_deep_is_refused_quickly(world, settings):
    allowed = ",".join([deep(63)] * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 130))
    too_deep = "[[]," * 64 + "]" * 64

    started = time.perf_counter()
    response = send(world.client("owner"), "POST", "/api/requests/", f'{{"a": [{allowed}, {too_deep}]}}')
    elapsed = time.perf_counter() - started

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert elapsed < 1.0, elapsed


def test_the_token_endpoint_refuses_a_huge_body_unread(db, settings):
    body = json.dumps({"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "password": "x"})

    response = send(client_for(None), "POST", "/api/auth/token/", body)

    assert response.status_code == 413


# 500s and 503s for bad input


@pytest.mark.parametrize("numbers", [[{"brand": "SKF"}], [{}], [{"number": "6205"}, {"brand": "FAG"}]])
def test_a_part_number_without_its_number_in_a_patch_is_a_400(world, numbers):
    response = world.client("admin").patch(f"/api/parts/{world.part.pk}/", {"numbers": numbers}, format="json")

    assert response.status_code == 400, response.content
    assert "numbers" in response.json()
    assert world.part.numbers.count() == 2


def test_a_part_number_without_a_brand_in_a_patch_has_no_brand(world):
    response = world.client("admin").patch(
        f"/api/parts/{world.part.pk}/", {"numbers": [{"number": "6205-ZZ"}]}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["numbers"] == [{"brand": "", "number": "6205-ZZ"}]


@pytest.mark.parametrize(
    "role, path, body, field",
    [
        ("anonymous", "/api/auth/token/", {"username": "ad\x00min", "password": "x"}, "username"),
        ("owner", "/api/memberships/", lambda w: {"user": "a\x00b", "plant": w.owner_plant.pk}, "user"),
        ("owner", "/api/requests/", lambda w: {"plant": w.owner_plant.pk, "description": "x\x00y"}, "description"),
        ("admin", "/api/plants/", {"name": "Planta\x00", "kind": "plant"}, "name"),
        ("admin", "/api/parts/", {"name": "Eje", "numbers": [{"number": "6\x00"}]}, "numbers"),
        ("admin", "/api/materials/", {"name": "Acero", "designations": ["C\x0045"]}, "designations"),
        (
            "owner",
            "/api/stock/",
            lambda w: {"plant": w.owner_plant.pk, "part": w.part.pk, "location": "\x00"},
            "location",
        ),
    ],
)
def test_a_nul_character_is_a_400_naming_the_field(world, role, path, body, field):
    body = body(world) if callable(body) else body

    response = world.client(role).post(path, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert "Retry-After" not in response


@pytest.mark.parametrize("query", ["search=%00", "number=62%0005", "location=%00"])
def test_a_nul_character_in_a_filter_is_not_a_server_error(world, query):
    response = world.client("owner").get(f"/api/stock/?{query}")

    assert response.status_code in {200, 400}
    assert "Retry-After" not in response


def test_input_the_database_cannot_store_is_a_400_not_a_retry(world, monkeypatch):
    def refuse(**kwargs):
        raise DataError("integer out of range")

    monkeypatch.setattr(inventory_services, "stock_item_create", refuse)

    response = world.client("owner").post(
        "/api/stock/", {"plant": world.owner_plant.pk, "part": world.part.pk, "quantity": 1}, format="json"
    )

    assert response.status_code == 400
    assert "Retry-After" not in response


def test_a_database_that_is_down_is_still_a_503_to_retry(world, monkeypatch):
    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(inventory_services, "stock_item_create", down)

    response = world.client("owner").post(
        "/api/stock/", {"plant": world.owner_plant.pk, "part": world.part.pk, "quantity": 1}, format="json"
    )

    assert response.status_code == 503
    assert response["Retry-After"]


# Sloppy acceptance


def stock_body(world, **changes):
    return {"plant": world.owner_plant.pk, "part": world.part.pk, "quantity": 1, "location": "Z-9", **changes}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"part": "float"}, "part"),
        ({"plant": "float"}, "plant"),
        ({"part": "arabic"}, "part"),
        ({"quantity": "٦٢"}, "quantity"),
        ({"quantity": 6.2}, "quantity"),
        ({"quantity": 6.0}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"part": True}, "part"),
    ],
)
def test_ids_and_counts_are_whole_numbers_in_ascii_digits(world, changes, field):
    values = {"float": world.part.pk + 0.9, "arabic": "".join(chr(0x0660 + int(d)) for d in str(world.part.pk))}
    if field == "plant":
        values["float"] = world.owner_plant.pk + 0.9
    body = stock_body(world, **{key: values.get(value, value) for key, value in changes.items()})
    before = StockItem.objects.count()

    response = world.client("owner").post("/api/stock/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert StockItem.objects.count() == before


def test_a_quote_quantity_in_arabic_digits_is_a_400(world):
    body = {"price": "1", "currency": "USD", "lead_time_days": "٣"}

    response = world.client("other").post(f"/api/matches/{world.match.pk}/quote/", body, format="json")

    assert response.status_code == 400 and "lead_time_days" in response.json()


@pytest.mark.parametrize("coordinate", [True, False, "NaN", "nan", "Infinity", "-inf", "٨", "1e400"], ids=repr)
@pytest.mark.parametrize("field", ["latitude", "longitude"])
def test_a_coordinate_is_a_finite_number_in_range(world, coordinate, field):
    body = json.dumps({"name": "Planta nueva", "kind": "plant", field: coordinate}, allow_nan=True)

    response = send(world.client("admin"), "POST", "/api/plants/", body)

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Plant.objects.filter(name="Planta nueva").exists()


@pytest.mark.parametrize("action", ["approve", "reject", "quote", "accept", "fulfil", "ship", "decline", "cancel"])
@pytest.mark.parametrize("body", ["{not json", "[]", '"approve"', "42", "null", "[{}]"])
def test_an_action_refuses_a_body_that_is_not_a_json_object(world, action, body):
    before = world.match.status

    response = send(world.client("admin"), "POST", f"/api/matches/{world.match.pk}/{action}/", body)

    assert response.status_code == 400, (action, body, response.status_code)
    world.match.refresh_from_db()
    assert world.match.status == before


@pytest.mark.parametrize("path", ["rematch", "cancel"])
def test_a_request_action_refuses_malformed_json(world, path):
    response = send(world.client("owner"), "POST", f"/api/requests/{world.request.pk}/{path}/", "{oops")

    assert response.status_code == 400


def test_an_action_with_an_empty_body_still_works(world):
    response = world.client("admin").post(f"/api/matches/{world.match.pk}/approve/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == Match.Status.APPROVED


def test_a_multipart_body_whose_boundary_is_wrong_is_a_400(world):
    body = b"reason=price, boundary nowhere"

    response = send(
        world.client("admin"),
        "POST",
        f"/api/matches/{world.match.pk}/approve/",
        body,
        "multipart/form-data; boundary=xyz",
    )

    assert response.status_code == 400, response.content
    world.match.refresh_from_db()
    assert world.match.status == Match.Status.PROPOSED


@pytest.mark.parametrize("page_size", ["0", "-1", "abc", "٥"])
def test_a_page_size_below_one_is_a_400_naming_it(world, page_size):
    response = world.client("owner").get(f"/api/stock/?page_size={page_size}")

    assert response.status_code == 400
    assert "page_size" in response.json()


def test_trace_is_a_405(world):
    for role in ("anonymous", "owner"):
        response = world.client(role).generic("TRACE", "/api/stock/")
        assert response.status_code == 405


def test_the_schema_documents_the_error_answers_and_the_minimum_ids(db):
    schema = client_for(None).get("/api/schema/?format=json").json()

    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "403"}
            if "{id}" in path:
                expected.add("404")
            if method in {"post", "put", "patch"} or operation.get("parameters"):
                expected.add("400")
            if method in {"post", "put", "patch", "delete"}:
                expected.add("409")
            if path == "/api/auth/token/":
                expected -= {"401", "403", "409"}
            missing += [f"{method} {path} {code}" for code in expected - set(operation["responses"])]
            for parameter in operation.get("parameters", []):
                if parameter["name"] in {"id", "page_size"}:
                    assert parameter["schema"].get("minimum") == 1, (path, parameter)
    assert missing == []
    assert Part.objects.count() == 0


def test_a_file_larger_than_a_json_body_may_still_be_uploaded(world, settings):
    note = "x" * 1_000
    rows = "".join(f"N-{line},3,{note}\n" for line in range(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1_000 + 1))
    upload = SimpleUploadedFile("stock.csv", f"part number,quantity,notes\n{rows}".encode(), "text/csv")

    response = world.client("owner").post(
        "/api/stock/import/", {"file": upload, "plant": world.owner_plant.pk}, format="multipart"
    )

    # Read whole: each unknown number is its row's error, not a 413 for the file.
    assert response.status_code == 400, response.content[:300]
    assert len(response.json()["errors"]) > 2_000


def test_a_csv_cell_longer_than_the_csv_reader_takes_is_the_files_error(world):
    content = f"part number,quantity\n6205-2RS,{'9' * 200_000}\n".encode()
    upload = SimpleUploadedFile("stock.csv", content, "text/csv")

    response = world.client("owner").post(
        "/api/stock/import/", {"file": upload, "plant": world.owner_plant.pk}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in response.json()
