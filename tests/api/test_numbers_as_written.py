"""Every way in of a written number uses the catalogue's one lookup; a request says whether it knew the number."""

import datetime
import io

import pytest
from django.utils import timezone

from exchange.models import PartRequest
from inventory import spreadsheets
from inventory.access import SYSTEM
from inventory.models import StockItem
from tests.conftest import client_for
from tests.world import ids

pytestmark = pytest.mark.django_db

# The world's part is SKF's 6205-2RS and FAG's 6205-2RSR.
WRITTEN = ["fag6205-2rsr", "FAG-6205 2RSR", "6205-2RSR FAG", "6205 2RS-skf", "SKF6205.2RS"]


@pytest.mark.parametrize("written", WRITTEN)
def test_the_part_and_stock_filters_recognise_the_brand_however_written(world, written):
    parts = world.client("shop").get("/api/parts/", {"number": written})
    stock = world.client("owner").get("/api/stock/", {"number": written})

    assert ids(parts) == [world.part.pk]
    assert ids(stock) == sorted([world.other_stock.pk, world.empty_stock.pk])


def test_a_shielded_number_with_a_brand_in_front_finds_no_sealed_part(world):
    assert ids(world.client("shop").get("/api/parts/", {"number": "FAG 6205-2Z"})) == []
    assert ids(world.client("owner").get("/api/stock/", {"number": "SKF6205-2Z"})) == []


def post_request(world, **fields):
    return world.client("owner").post(
        "/api/requests/", {"plant": world.owner_plant.pk, "quantity": 1, **fields}, format="json"
    )


@pytest.mark.parametrize("written", WRITTEN)
def test_a_request_by_a_number_with_its_brand_names_the_part(world, written):
    response = post_request(world, number=written)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["part"], body["number"], body["number_known"]) == (world.part.pk, written, True)


def test_a_number_the_catalogue_does_not_know_is_kept_as_written_and_said_unknown(world):
    response = post_request(world, number=" ACME xq-991/b ", description="Eje de la bomba")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["part"], body["number"], body["number_known"]) == (None, "ACME xq-991/b", False)
    assert PartRequest.objects.get(pk=body["id"]).number == "ACME xq-991/b"


def test_number_known_is_null_without_a_number(world):
    by_description = post_request(world, description="Buje gastado").json()
    by_part = world.client("owner").get(f"/api/requests/{world.request.pk}/").json()

    assert by_description["number_known"] is None and by_part["number_known"] is None


def test_a_stopped_request_answers_its_days_stopped_and_their_cost(world):
    four_days_ago = (timezone.localdate() - datetime.timedelta(days=4)).isoformat()
    stopped = post_request(
        world,
        description="Bomba parada",
        criticality="production_stopped",
        stopped_since=four_days_ago,
        downtime_usd_per_day="1250.50",
    ).json()
    days_only = post_request(
        world, description="Otra parada", criticality="production_stopped", stopped_since=four_days_ago
    ).json()
    degraded = world.client("owner").get(f"/api/requests/{world.request.pk}/").json()

    assert (stopped["days_stopped"], stopped["downtime_cost_usd"]) == (4, "5002.00")
    assert (days_only["days_stopped"], days_only["downtime_cost_usd"]) == (4, None)
    assert (degraded["days_stopped"], degraded["downtime_cost_usd"]) == (None, None)


def test_the_schema_documents_number_known_and_the_urgency_fields(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    request = schema["components"]["schemas"]["PartRequest"]["properties"]

    assert request["number_known"]["type"] == "boolean" and request["number_known"]["nullable"] is True
    assert (
        request["number_known"]["readOnly"] is True and "describe or measure" in request["number_known"]["description"]
    )
    assert request["days_stopped"]["type"] == "integer" and request["days_stopped"]["nullable"] is True
    assert request["downtime_cost_usd"]["nullable"] is True
    for name in ("stopped_since", "downtime_usd_per_day"):
        assert name in request


def test_a_spreadsheet_row_finds_its_part_by_a_number_with_its_brand_however_written(world):
    upload = io.BytesIO(b"part number,brand,quantity,location\nfag6205-2rsr,,4,C-1\n6205-2RS,skf,2,C-2\n")

    report = spreadsheets.import_stock(user=SYSTEM, plant=world.shop, upload=upload)

    assert report.ok, report.errors
    assert sorted(StockItem.objects.filter(plant=world.shop).values_list("location", "part_id")) == [
        ("C-1", world.part.pk),
        ("C-2", world.part.pk),
    ]


def test_the_admin_searches_requests_by_a_number_with_its_brand_joined(world, client):
    admin = client_for(None)
    admin.force_login(world.users["admin"])

    page = admin.get("/admin/exchange/partrequest/", {"q": "fag6205-2rsr"}).content.decode()

    assert f"/admin/exchange/partrequest/{world.request.pk}/change/" in page
