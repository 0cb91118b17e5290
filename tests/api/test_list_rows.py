"""One row of each rich list, pinned as clients read it: the names, order and format of every field."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exchange.models import Match, PartRequest, RequestPhoto
from inventory.models import Capability, Part, StockItem

# 10:05:06.789 in Caracas, where the API writes its times.
MOMENT = datetime(2025, 3, 4, 14, 5, 6, 789000, tzinfo=UTC)
WRITTEN = "2025-03-04T10:05:06.789000-04:00"
UNMEASURED = {"diameter_mm": None, "length_mm": None, "weight_kg": None, "it_grade": None}


@pytest.fixture
def pinned(world):
    """The world's match quoted in bolívares and received, its request stopped three days ago and with a
    photo; every time of every row at one moment."""
    world.bring_to(Match.Status.FULFILLED, quote={"price": Decimal("1200.50"), "currency": "VES", "lead_time_days": 4})
    PartRequest.objects.filter(pk=world.request.pk).update(
        criticality="production_stopped",
        stopped_since=timezone.localdate() - timedelta(days=3),
        downtime_usd_per_day=Decimal("150.00"),
        matched_at=MOMENT,
    )
    RequestPhoto.objects.create(
        request=world.request, image="requests/a.jpg", thumbnail="requests/a-t.jpg", width=640, height=480
    )
    Part.objects.update(created_at=MOMENT)
    Capability.objects.update(created_at=MOMENT)
    for model in (StockItem, PartRequest):
        model.objects.update(created_at=MOMENT, updated_at=MOMENT)
    Match.objects.update(created_at=MOMENT, updated_at=MOMENT, quoted_at=MOMENT, fulfilled_at=MOMENT)
    return world


def written_row(world, role, path, pk) -> str:
    """The row as its list writes it, keys in their order."""
    results = world.client(role).get(path, {"page_size": 200}).json()["results"]
    return written(next(result for result in results if result["id"] == pk))


def written(row: dict) -> str:
    if "explanation" in row:
        # PostgreSQL's jsonb keeps an object's keys in an order of its own.
        row = {**row, "explanation": json.dumps(row["explanation"], sort_keys=True)}
    return json.dumps(row, ensure_ascii=False)


def test_a_part_row(pinned):
    assert written_row(pinned, "owner", "/api/parts/", pinned.part.pk) == written(
        {
            "id": pinned.part.pk,
            "name": "Rodamiento 6205",
            "category": "bearing",
            "description": "",
            "numbers": [{"brand": "SKF", "number": "6205-2RS"}, {"brand": "FAG", "number": "6205-2RSR"}],
            "material": pinned.material.pk,
            "processes": [],
            **UNMEASURED,
            "import_price_usd": "40.00",
            "created_at": WRITTEN,
        }
    )


def test_a_stock_row(pinned):
    assert written_row(pinned, "other", "/api/stock/", pinned.other_stock.pk) == written(
        {
            "id": pinned.other_stock.pk,
            "plant": pinned.other_plant.pk,
            "part": pinned.part.pk,
            "quantity": 1,
            "reserved": 0,
            "quantity_available": 1,
            "condition": "new",
            "location": "",
            "exchangeable": True,
            "created_at": WRITTEN,
            "updated_at": WRITTEN,
        }
    )


def test_a_capability_row(pinned):
    assert written_row(pinned, "shop", "/api/capabilities/", pinned.capability.pk) == written(
        {
            "id": pinned.capability.pk,
            "plant": pinned.shop.pk,
            "process": "turning",
            "materials": [pinned.material.pk],
            "max_diameter_mm": None,
            "max_length_mm": None,
            "max_weight_kg": None,
            "best_it_grade": None,
            "lead_time_days": 14,
            "notes": "",
            "created_at": WRITTEN,
        }
    )


def test_a_request_row(pinned):
    photo = RequestPhoto.objects.get(request=pinned.request)
    assert written_row(pinned, "owner", "/api/requests/", pinned.request.pk) == written(
        {
            "id": pinned.request.pk,
            "plant": pinned.owner_plant.pk,
            "part": pinned.part.pk,
            "number": "",
            "number_known": None,
            "description": "",
            "quantity": 2,
            "quantity_fulfilled": 2,
            "quantity_outstanding": 0,
            "needed_by": None,
            "criticality": "production_stopped",
            "stopped_since": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "downtime_usd_per_day": "150.00",
            "days_stopped": 3,
            "downtime_cost_usd": "450.00",
            "import_price_usd": "40.00",
            "import_lead_time_days": None,
            "material": pinned.material.pk,
            "processes": [],
            **UNMEASURED,
            "status": "fulfilled",
            "created_by": pinned.users["owner"].pk,
            "created_at": WRITTEN,
            "updated_at": WRITTEN,
            "matched_at": WRITTEN,
            "photos": [
                {
                    "id": photo.pk,
                    "image": "http://testserver/media/requests/a.jpg",
                    "thumbnail": "http://testserver/media/requests/a-t.jpg",
                    "width": 640,
                    "height": 480,
                }
            ],
        }
    )


def pinned_match(world) -> dict:
    return {
        "id": world.match.pk,
        "request": world.request.pk,
        "source": "stock",
        "stock_item": world.other_stock.pk,
        "capability": None,
        "source_plant": world.other_plant.pk,
        "origin": "engine",
        "score": 0.8462,
        "explanation": {
            "parts": {"fit": 1.0, "distance": 0.7508, "lead_time": 0.9091, "record": 0.5, "coverage": 1.0},
            "weights": {"fit": 0.35, "distance": 0.3, "lead_time": 0.15, "record": 0.1},
            "distance_km": 99.6,
            "lead_time_days": 4,
            "record": {"fulfilled": 0, "cancelled": 0},
            "fit": "same_part",
            "condition": "new",
            "own_store": False,
            "units": 2,
            "needed": 2,
            "summary": "In stock 100 km away (same part, new): covers 2 of 2 units.",
        },
        "distance_km": 99.6,
        "status": "fulfilled",
        "quantity": 2,
        "quote_price": "1200.50",
        "quote_currency": "VES",
        "quote_lead_time_days": 4,
        "quoted_at": WRITTEN,
        "quote": {
            "price": "1200.50",
            "currency": "VES",
            "lead_time_days": 4,
            "rate": "40.00000000",
            "price_usd": "30.01",
        },
        "quantity_shipped": 2,
        "quantity_received": 2,
        "quantity_in_transit": 0,
        "quantity_lost": 0,
        "quantity_returned": 0,
        "received_into_stock": False,
        "quote_rate": "40.00000000",
        "quote_price_usd": "30.01",
        "usd_avoided": "80.00",
        "usd_domestic_cost": "30.01",
        "usd_net": "49.99",
        "days_gained": None,
        "reject_reason": "",
        "decline_reason": "",
        "decline_note": "",
        "ship_note": "",
        "created_at": WRITTEN,
        "updated_at": WRITTEN,
        "fulfilled_at": WRITTEN,
    }


def test_a_match_row(pinned):
    assert written_row(pinned, "owner", "/api/matches/", pinned.match.pk) == written(pinned_match(pinned))


def test_a_match_row_of_a_request(pinned):
    path = f"/api/requests/{pinned.request.pk}/matches/"
    assert written_row(pinned, "owner", path, pinned.match.pk) == written(pinned_match(pinned))


def test_a_proposed_match_row_has_no_quote_and_nulls_for_what_is_not_known(world):
    row = json.loads(written_row(world, "owner", "/api/matches/", world.match.pk))
    assert row["status"] == "proposed"
    assert [row[name] for name in ("quote", "quote_price", "quoted_at", "usd_net", "fulfilled_at")] == [None] * 5
    assert row["quote_currency"] == ""
