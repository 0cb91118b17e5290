"""The pages find a number with its brand however written, say when the catalogue does not know it, and put
the costliest stopped line first."""

import datetime
import uuid

import pytest
from django.utils import timezone

from exchange import services
from exchange.models import Criticality, PartRequest
from inventory.models import StockItem
from tests.factories import PartFactory, stock_item

WRITTEN = ["fag6205-2rsr", "FAG-6205 2RSR", "6205-2RSR FAG", "skf6205.2rsh"]


@pytest.fixture
def bearing(db):
    return PartFactory(name="Rodamiento rígido", numbers=[("FAG", "6205-2RSR"), ("SKF", "6205-2RSH")])


@pytest.mark.parametrize("written", WRITTEN)
def test_a_shortage_posted_by_a_number_with_its_brand_names_the_part(member_client, bearing, written):
    data = {"form_key": str(uuid.uuid4()), "quantity": "1", "criticality": "degraded", "number": written}

    response = member_client.post("/requests/new/", data, follow=True)

    part_request = PartRequest.objects.get()
    assert (part_request.part, part_request.number, part_request.number_known) == (bearing, written, True)
    assert "Describa o mida" not in response.content.decode()


@pytest.mark.parametrize("written", WRITTEN)
def test_the_number_field_s_lookup_shows_the_part(member_client, bearing, written):
    fragment = member_client.get("/requests/new/lookup/", {"number": written}).content.decode()

    assert "Rodamiento rígido" in fragment


@pytest.mark.parametrize("written", WRITTEN)
def test_the_store_adds_and_finds_an_item_by_a_number_with_its_brand(member_client, plant, bearing, written):
    member_client.post(
        "/stock/new/",
        {"form_key": str(uuid.uuid4()), "number": written, "quantity": 4, "condition": "new", "location": "Z9"},
    )
    stock_item(plant=plant, part=PartFactory(name="Correa en V", numbers=[("Gates", "B-52")]), location="F1")

    listing = member_client.get("/stock/", {"q": written}).content.decode()

    assert StockItem.objects.get(plant=plant, location="Z9").part == bearing
    assert "Z9" in listing and "Correa en V" not in listing


def test_the_page_of_a_request_by_an_unknown_number_asks_to_describe_or_measure_it(member_client, plant, member):
    unknown = services.part_request_create(plant=plant, user=member, number="ACME xq-991", quantity=1)

    page = member_client.get(f"/requests/{unknown.pk}/").content.decode()

    assert unknown.number_known is False
    assert "no conoce el número «ACME xq-991»" in page and "Describa o mida el repuesto" in page


def test_the_board_shows_the_costliest_stopped_line_before_the_longest_stopped(member_client, plant, member):
    today = timezone.localdate()
    stopped = {"plant": plant, "user": member, "quantity": 1, "criticality": Criticality.PRODUCTION_STOPPED}
    services.part_request_create(
        description="Parada larga", stopped_since=today - datetime.timedelta(days=9), **stopped
    )
    services.part_request_create(
        description="Parada cara",
        stopped_since=today - datetime.timedelta(days=2),
        downtime_usd_per_day=800,
        **stopped,
    )

    board = member_client.get("/board/").content.decode()

    assert board.index("Parada cara") < board.index("Parada larga")
