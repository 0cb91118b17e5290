"""Bad input is a 400 naming the field (or a 413 for a huge body); never a 500, nothing half-written."""

import json

import pytest

from exchange.models import PartRequest
from inventory.models import Part, StockItem
from tests.world import ids


def post(client, path, body):
    return client.post(path, body, format="json")


def stock_body(w, **changes):
    return {"plant": w.owner_plant.pk, "part": w.part.pk, "quantity": 1, "location": "Z-9", **changes}


def request_body(w, **changes):
    return {"plant": w.owner_plant.pk, "part": w.part.pk, "quantity": 1, **changes}


def part_body(w, **changes):
    return {"name": "Eje", **changes}


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/stock/", lambda w: stock_body(w, quantity=-1), "quantity"),
        ("/api/stock/", lambda w: stock_body(w, quantity=1_000_001), "quantity"),
        ("/api/stock/", lambda w: stock_body(w, quantity="many"), "quantity"),
        ("/api/stock/", lambda w: stock_body(w, condition="broken"), "condition"),
        ("/api/stock/", lambda w: stock_body(w, plant=987654), "plant"),
        ("/api/stock/", lambda w: stock_body(w, part=987654), "part"),
        ("/api/stock/", lambda w: stock_body(w, exchangeable="perhaps"), "exchangeable"),
        ("/api/requests/", lambda w: request_body(w, quantity=0), "quantity"),
        ("/api/requests/", lambda w: request_body(w, quantity=1_000_001), "quantity"),
        ("/api/requests/", lambda w: request_body(w, it_grade=19), "it_grade"),
        ("/api/requests/", lambda w: request_body(w, it_grade=0), "it_grade"),
        ("/api/requests/", lambda w: request_body(w, diameter_mm="-5"), "diameter_mm"),
        ("/api/requests/", lambda w: request_body(w, length_mm="1e40"), "length_mm"),
        ("/api/requests/", lambda w: request_body(w, weight_kg="NaN"), "weight_kg"),
        ("/api/requests/", lambda w: request_body(w, import_price_usd="-1"), "import_price_usd"),
        ("/api/requests/", lambda w: request_body(w, criticality="urgent"), "criticality"),
        ("/api/requests/", lambda w: request_body(w, processes=["juggling"]), "processes"),
        ("/api/requests/", lambda w: request_body(w, needed_by="yesterday"), "needed_by"),
        ("/api/requests/", lambda w: request_body(w, material=987654), "material"),
        ("/api/requests/", lambda w: request_body(w, part=None), "part"),
        ("/api/parts/", lambda w: part_body(w, it_grade=42), "it_grade"),
        ("/api/parts/", lambda w: part_body(w, numbers=[{"brand": "SKF"}]), "numbers"),
        ("/api/parts/", lambda w: part_body(w, numbers="6205"), "numbers"),
        ("/api/parts/", lambda w: part_body(w, import_price_usd="99999999999"), "import_price_usd"),
        ("/api/capabilities/", lambda w: {"plant": w.shop.pk, "process": "alchemy"}, "process"),
        (
            "/api/capabilities/",
            lambda w: {"plant": w.shop.pk, "process": "milling", "best_it_grade": 19},
            "best_it_grade",
        ),
        (
            "/api/capabilities/",
            lambda w: {"plant": w.shop.pk, "process": "milling", "materials": [987654]},
            "materials",
        ),
        (
            "/api/capabilities/",
            lambda w: {"plant": w.shop.pk, "process": "milling", "lead_time_days": -1},
            "lead_time_days",
        ),
        (
            "/api/matches/",
            lambda w: {
                "request": w.request.pk,
                "capability": w.capability.pk,
                "price": "1",
                "currency": "EUR",
                "lead_time_days": 1,
            },
            "currency",
        ),
        (
            "/api/matches/",
            lambda w: {
                "request": 987654,
                "capability": w.capability.pk,
                "price": "1",
                "currency": "USD",
                "lead_time_days": 1,
            },
            "request",
        ),
        (
            "/api/matches/",
            lambda w: {"request": w.request.pk, "price": "1", "currency": "USD", "lead_time_days": 1},
            "stock_item",
        ),
        (
            "/api/matches/",
            lambda w: {
                "request": w.closed_request.pk,
                "capability": w.capability.pk,
                "price": "1",
                "currency": "USD",
                "lead_time_days": 1,
            },
            "request",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, path, body, field):
    role = "shop" if path in {"/api/capabilities/", "/api/matches/"} else "owner"
    before = (StockItem.objects.count(), PartRequest.objects.count(), Part.objects.count())

    response = post(world.client(role), path, body(world))

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (StockItem.objects.count(), PartRequest.objects.count(), Part.objects.count()) == before


@pytest.mark.parametrize(
    "action, body, field",
    [
        ("quote", {"price": "-1", "currency": "USD", "lead_time_days": 1}, "price"),
        ("quote", {"price": "1", "currency": "BTC", "lead_time_days": 1}, "currency"),
        ("quote", {"price": "1", "currency": "USD", "lead_time_days": 99999}, "lead_time_days"),
        ("quote", {"price": "1", "currency": "USD", "lead_time_days": 1, "quantity": 0}, "quantity"),
        ("quote", {"price": "1", "currency": "USD", "lead_time_days": 1, "quantity": 9}, "quantity"),
        ("quote", {"price": "1e20", "currency": "USD", "lead_time_days": 1}, "price"),
    ],
)
def test_a_bad_quote_is_refused_naming_the_field(world, action, body, field):
    response = post(world.client("other"), f"/api/matches/{world.match.pk}/{action}/", body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    world.match.refresh_from_db()
    assert world.match.quote_price is None


def test_a_rejection_needs_a_reason(world):
    response = post(world.client("admin"), f"/api/matches/{world.match.pk}/reject/", {})
    assert response.status_code == 400 and "reason" in response.json()


def test_malformed_json_is_a_400(world):
    response = world.client("owner").generic("POST", "/api/requests/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_an_oversized_body_is_refused_unread(world, settings):
    body = json.dumps(request_body(world, description="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)))

    response = world.client("owner").generic("POST", "/api/requests/", body, content_type="application/json")

    assert response.status_code == 413
    assert PartRequest.objects.count() == 2


@pytest.mark.parametrize(
    "path",
    [
        "/api/stock/99999999999999999999999/",
        "/api/requests/99999999999999999999999/matches/",
        "/api/matches/0/",
        "/api/requests/?cursor=garbage",
    ],
)
def test_unknown_or_absurd_ids_in_the_path_are_404(world, path):
    assert world.client("admin").get(path).status_code == 404


@pytest.mark.parametrize(
    "query, field",
    [("plant=abc", "plant"), ("plant=99999999999999999999999", "plant"), ("condition=broken", "condition")],
)
def test_bad_filters_are_400_naming_the_filter(world, query, field):
    response = world.client("owner").get(f"/api/stock/?{query}")
    assert response.status_code == 400 and field in response.json()


def test_a_stock_item_keeps_its_plant_and_part(world):
    response = world.client("owner").patch(
        f"/api/stock/{world.owner_stock.pk}/", {"plant": world.other_plant.pk, "location": "A-1"}, format="json"
    )
    assert response.status_code == 400
    assert "plant" in response.json()
    world.owner_stock.refresh_from_db()
    assert world.owner_stock.plant_id == world.owner_plant.pk and world.owner_stock.location != "A-1"


def test_a_duplicate_stock_item_is_a_400_and_not_half_written(world):
    client = world.client("owner")
    assert post(client, "/api/stock/", stock_body(world, quantity=4)).status_code == 201
    response = post(client, "/api/stock/", stock_body(world, quantity=4))
    assert response.status_code == 400
    assert ids(client.get(f"/api/stock/?plant={world.owner_plant.pk}&part={world.part.pk}")) == sorted(
        StockItem.objects.filter(plant=world.owner_plant, part=world.part).values_list("id", flat=True)
    )


def test_deleting_stock_with_a_ledger_is_a_conflict(world):
    response = world.client("owner").delete(f"/api/stock/{world.owner_stock.pk}/")
    assert response.status_code == 409 and response.json()["detail"]
