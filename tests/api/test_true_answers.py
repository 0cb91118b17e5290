"""Answers say what is true when they are sent, in one error shape."""

from datetime import datetime

import pytest


@pytest.mark.django_db(transaction=True)
def test_a_new_request_answers_the_time_the_engine_matched_it(world):
    owner = world.client("owner")

    response = owner.post(
        "/api/requests/", {"plant": world.owner_plant.pk, "part": world.part.pk, "quantity": 1}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["matched_at"] is not None
    assert response.json()["matched_at"] == owner.get(f"/api/requests/{response.json()['id']}/").json()["matched_at"]


def offer(world, **source):
    return world.client("other").post(
        "/api/matches/",
        {"request": world.request.pk, "price": "28.00", "currency": "USD", "lead_time_days": 9, **source},
        format="json",
    )


def test_an_offer_of_a_source_the_engine_proposed_answers_200_with_the_quote(world):
    response = offer(world, stock_item=world.other_stock.pk)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.match.pk
    assert body["quote"]["lead_time_days"] == 9
    assert body["explanation"]["lead_time_days"] == 9


def test_an_offer_of_a_new_source_answers_201(world):
    response = world.client("shop").post(
        "/api/matches/",
        {
            "request": world.request.pk,
            "capability": world.capability.pk,
            "price": "90.00",
            "currency": "USD",
            "lead_time_days": 12,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["explanation"]["lead_time_days"] == 12


@pytest.mark.django_db(transaction=True)
def test_the_quoted_lead_time_outlives_the_engine_run_after_the_offer(world):
    offer(world, stock_item=world.other_stock.pk)

    match = world.client("other").get(f"/api/matches/{world.match.pk}/").json()

    assert match["explanation"]["lead_time_days"] == 9


def test_naming_a_member_again_answers_200_and_a_new_one_201(world):
    admin = world.client("admin")
    again = {"user": world.users["owner"].username, "plant": world.owner_plant.pk, "role": "manager"}
    new = {"user": world.users["other"].username, "plant": world.owner_plant.pk, "role": "member"}

    assert admin.post("/api/memberships/", again, format="json").status_code == 200
    assert admin.post("/api/memberships/", new, format="json").status_code == 201
    assert admin.post("/api/memberships/", new, format="json").status_code == 200


def test_a_stock_item_updated_at_moves_with_its_ledger_and_its_reservations(world):
    def updated_at():
        item = world.client("other").get(f"/api/stock/{world.other_stock.pk}/").json()
        return datetime.fromisoformat(item["updated_at"])

    created = updated_at()
    world.client("other").patch(f"/api/stock/{world.other_stock.pk}/", {"quantity": 4}, format="json")
    recounted = updated_at()
    world.accept()

    assert created < recounted < updated_at()


def test_duplicate_stock_and_capabilities_are_refused_under_non_field_errors(world):
    stock = world.client("other").post(
        "/api/stock/",
        {"plant": world.other_plant.pk, "part": world.part.pk, "quantity": 1, "location": world.other_stock.location},
        format="json",
    )
    capability = world.client("shop").post(
        "/api/capabilities/", {"plant": world.shop.pk, "process": "turning", "lead_time_days": 3}, format="json"
    )

    assert (stock.status_code, capability.status_code) == (400, 400)
    assert list(stock.json()) == ["non_field_errors"]
    assert list(capability.json()) == ["non_field_errors"]
