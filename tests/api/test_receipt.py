"""Receipt through HTTP: `/api/matches/{id}/fulfil/` takes `quantity` and `into_stock`, `/resolve/` settles what never
arrived; the match answers what is shipped, received, in transit, lost and returned."""

import pytest

from bench.invariants import invariant_violations
from exchange.models import Match
from inventory.models import StockItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(world):
    world.accept()
    response = world.client("other").post(f"/api/matches/{world.match.pk}/ship/", {"note": "MRW 1"}, format="json")
    assert response.json()["quantity_in_transit"] == 2
    return world.match


def fulfil(world, match, body, role="owner"):
    return world.client(role).post(f"/api/matches/{match.pk}/fulfil/", body, format="json")


def test_a_short_receipt_into_stock_answers_the_units_in_transit(world, shipped):
    response = fulfil(world, shipped, {"quantity": 1, "into_stock": True})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "fulfilled"
    assert {name: body[name] for name in ("quantity_shipped", "quantity_received", "quantity_in_transit")} == {
        "quantity_shipped": 2,
        "quantity_received": 1,
        "quantity_in_transit": 1,
    }
    assert body["received_into_stock"] is True and body["usd_avoided"] == "40.00"
    spares = world.client("owner").get(f"/api/stock/{world.empty_stock.pk}/movements/").json()["results"]
    assert [(row["delta"], row["reason"], row["match"]) for row in spares] == [(1, "transfer_in", shipped.pk)]
    request = world.client("owner").get(f"/api/requests/{world.request.pk}/").json()
    assert (request["quantity_fulfilled"], request["status"]) == (1, "open")
    assert invariant_violations() == []


def test_an_empty_body_receives_every_unit_shipped(world, shipped):
    body = fulfil(world, shipped, {}).json()

    assert (body["quantity_received"], body["quantity_in_transit"], body["received_into_stock"]) == (2, 0, False)
    assert StockItem.objects.get(pk=world.empty_stock.pk).quantity == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"quantity": 3}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": "1.0"}, "quantity"),
        ({"quantity": "dos"}, "quantity"),
        ({"quantity": 1, "into_stock": "quizás"}, "into_stock"),
    ],
)
def test_bad_receipt_input_is_a_400_naming_the_field_and_receives_nothing(world, shipped, body, field):
    response = fulfil(world, shipped, body)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    shipped.refresh_from_db()
    assert (shipped.status, shipped.quantity_received) == (Match.Status.SHIPPED, 0)


def test_an_administrator_resolves_the_units_not_received_as_returned(world):
    world.receive_short()

    response = world.client("admin").post(
        f"/api/matches/{world.match.pk}/resolve/", {"resolution": "returned", "note": "Volvió"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["quantity_returned"], body["quantity_lost"], body["quantity_in_transit"]) == (1, 0, 0)
    stock = world.client("other").get(f"/api/stock/{world.other_stock.pk}/").json()
    assert (stock["quantity"], stock["quantity_available"]) == (2, 2)
    assert invariant_violations() == []


@pytest.mark.parametrize("body", [{}, {"resolution": "found"}])
def test_a_resolution_that_is_not_lost_or_returned_is_a_400(world, body):
    world.receive_short()

    response = world.client("admin").post(f"/api/matches/{world.match.pk}/resolve/", body, format="json")

    assert response.status_code == 400 and list(response.json()) == ["resolution"]


def test_resolving_a_match_with_nothing_in_transit_is_a_conflict(world, shipped):
    fulfil(world, shipped, {})

    response = world.client("admin").post(f"/api/matches/{shipped.pk}/resolve/", {"resolution": "lost"}, format="json")

    assert response.status_code == 409 and "detail" in response.json()
