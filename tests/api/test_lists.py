"""Filters find what a person would type; every list costs the same few queries whatever its length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange.models import Match, PartRequest
from inventory import services as inventory_services
from inventory.access import SYSTEM
from inventory.models import StockMovement
from tests.conftest import client_for
from tests.factories import (
    MaterialFactory,
    MembershipFactory,
    PartFactory,
    PlantFactory,
    UserFactory,
    capability,
    stock_item,
)

from .conftest import ids


@pytest.mark.parametrize("written", ["6205-2RS", "6205 2rs", "62052RS", "6205.2rs", "FAG 6205-2RSR", "fag 62052rsr"])
def test_parts_are_found_by_any_number_however_written(world, written):
    response = world.client("shop").get("/api/parts/", {"number": written})
    assert ids(response) == [world.part.pk]


def test_a_number_finds_cross_referenced_parts_and_their_stock(world):
    twin = PartFactory(name="Rodamiento NSK", numbers=[("NSK", "6205 2RS")])
    twin_stock = stock_item(plant=world.shop, part=twin, quantity=1)

    assert ids(world.client("owner").get("/api/parts/", {"number": "skf 6205-2rs"})) == sorted([world.part.pk, twin.pk])
    stock = world.client("owner").get("/api/stock/", {"number": "6205-2RS"})
    assert ids(stock) == sorted([world.other_stock.pk, world.empty_stock.pk, twin_stock.pk])


def test_an_unknown_number_finds_nothing(world):
    assert ids(world.client("owner").get("/api/parts/", {"number": "XYZ 000"})) == []


@pytest.mark.parametrize("search", ["rodamiento", "6205", "6205-2"])
def test_part_search_covers_names_and_numbers(world, search):
    assert world.part.pk in ids(world.client("owner").get("/api/parts/", {"search": search}))


@pytest.mark.parametrize("designation", ["c45", "C-45", "1.0503", "aisi1045"])
def test_materials_are_found_by_any_designation_normalized(world, designation):
    response = world.client("owner").get("/api/materials/", {"designation": designation})
    assert ids(response) == ([world.material.pk] if designation != "aisi1045" else [])


def test_materials_answer_their_designations(world):
    response = world.client("admin").post(
        "/api/materials/",
        {"name": "AISI 304", "family": "stainless_steel", "designations": ["X5CrNi18-10", "1.4301"]},
        format="json",
    )
    assert sorted(response.json()["designations"]) == ["1.4301", "X5CrNi18-10"]
    clash = world.client("admin").post(
        "/api/materials/", {"name": "Otro", "family": "other", "designations": ["c 45"]}, format="json"
    )
    assert clash.status_code == 409


def test_stock_filters(world):
    client = world.client("shop")
    assert ids(client.get("/api/stock/", {"plant": world.owner_plant.pk, "available": "true"})) == [
        world.owner_stock.pk
    ]
    assert ids(client.get("/api/stock/", {"available": "false"})) == [world.empty_stock.pk]
    assert ids(client.get("/api/stock/", {"state": "mérida"})) == [world.other_stock.pk]
    assert ids(client.get("/api/stock/", {"part": world.part.pk, "condition": "new"})) == sorted(
        [world.other_stock.pk, world.empty_stock.pk]
    )


def test_capability_request_match_and_plant_filters(world):
    client = world.client("admin")
    assert ids(client.get("/api/capabilities/", {"material": world.material.pk, "process": "turning"})) == [
        world.capability.pk
    ]
    assert ids(client.get("/api/capabilities/", {"state": "Carabobo"})) == []
    assert ids(client.get("/api/requests/", {"status": "cancelled"})) == [world.closed_request.pk]
    assert ids(client.get("/api/requests/", {"state": "Barinas", "part": world.part.pk})) == [world.request.pk]
    assert ids(client.get("/api/matches/", {"source_plant": world.other_plant.pk, "status": "proposed"})) == [
        world.match.pk
    ]
    assert ids(client.get("/api/plants/", {"kind": "machine_shop"})) == [world.shop.pk]
    assert ids(client.get("/api/plants/", {"search": "barinas"})) == [world.owner_plant.pk]


def test_processes_are_the_fixed_taxonomy(world):
    processes = world.client("owner").get("/api/processes/").json()
    assert {"code": "motor_rewinding", "label": "Electric motor rewinding"} in processes
    assert len(processes) == 19


def test_lists_are_cursor_paginated(world):
    page = world.client("owner").get("/api/plants/", {"page_size": 2}).json()
    assert set(page) >= {"results", "next", "previous"}
    assert len(page["results"]) == 2 and page["previous"] is None
    rest = world.client("owner").get(page["next"]).json()
    assert [row["id"] for row in rest["results"]] == [world.owner_plant.pk]


# Query counts: (path, rows builder, queries allowed). Each builder makes `count` rows and returns the path.


def many_plants(count):
    PlantFactory.create_batch(count)
    return "/api/plants/"


def many_memberships(count):
    MembershipFactory.create_batch(count)
    return "/api/memberships/"


def many_materials(count):
    for index in range(count):
        inventory_services.material_create(
            user=SYSTEM,
            name=f"M{count}-{index}",
            family="other",
            designations=[f"D{count}-{index}", f"E{count}-{index}"],
        )
    return "/api/materials/"


def many_parts(count):
    for index in range(count):
        PartFactory(numbers=[("A", f"A-{index}"), ("B", f"B-{index}")])
    return "/api/parts/"


def many_stock_items(count):
    for _ in range(count):
        stock_item(quantity=2)
    return "/api/stock/"


def many_movements(count):
    item = stock_item(quantity=1)
    for _ in range(count - 1):
        inventory_services.stock_adjust(user=SYSTEM, stock_item=item, delta=1, reason=StockMovement.Reason.ADJUSTMENT)
    return f"/api/stock/{item.pk}/movements/"


def many_capabilities(count):
    materials = MaterialFactory.create_batch(2)
    for _ in range(count):
        capability(materials=materials)
    return "/api/capabilities/"


def many_requests(count):
    plant = PlantFactory()
    for _ in range(count):
        PartRequest.objects.create(plant=plant, description="Bomba", quantity=1)
    return "/api/requests/"


def _matches_of_one_request(count):
    request = PartRequest.objects.create(plant=PlantFactory(), description="Bomba", quantity=1)
    for index in range(count):
        item = stock_item(quantity=1)
        Match.objects.create(
            request=request,
            source="stock",
            stock_item=item,
            source_plant_id=item.plant_id,
            quantity=1,
            score=index / count,
            quote_price="1",
            quote_currency="USD",
            quote_lead_time_days=1,
        )
    return request


def many_matches(count):
    _matches_of_one_request(count)
    return "/api/matches/"


def many_matches_of_a_request(count):
    return f"/api/requests/{_matches_of_one_request(count).pk}/matches/"


LISTS = [
    (many_plants, 1),
    (many_memberships, 1),
    (many_materials, 2),
    (many_parts, 2),
    (many_stock_items, 1),
    (many_movements, 2),
    (many_capabilities, 2),
    # The requests and their photos.
    (many_requests, 2),
    (many_matches, 1),
    (many_matches_of_a_request, 2),
]


@pytest.mark.parametrize("make_rows, allowed", LISTS, ids=[builder.__name__ for builder, _ in LISTS])
def test_a_list_costs_the_same_queries_for_5_or_40_rows(db, make_rows, allowed, django_assert_max_num_queries):
    client = client_for(UserFactory(is_staff=True))
    counts = []
    for rows in (5, 40):
        path = make_rows(rows)
        with django_assert_max_num_queries(allowed), CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert len(response.json()["results"]) >= rows
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_plant_members_match_list_costs_the_same_few_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert world.client("owner").get("/api/matches/").status_code == 200
    with django_assert_max_num_queries(3):
        assert world.client("shop").get("/api/requests/").status_code == 200
