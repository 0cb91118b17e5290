"""History that cannot be rewritten: an item stays where its ledger says, and who did what stays known."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bench.invariants import invariant_violations
from exchange import services as exchange_services
from exchange.models import Match, MatchStatusChange, PartRequest
from inventory.models import StockItem, StockMovement
from tests.conftest import client_for
from tests.factories import MembershipFactory, PartFactory, PlantFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

NO_MOVEMENT_FORMS = {"movements-TOTAL_FORMS": 0, "movements-INITIAL_FORMS": 0}


def test_the_admin_cannot_move_a_stock_item_to_another_plant_or_part(client):
    # given an item holding units reserved for an accepted match
    world = build_world(units=5)
    client.force_login(world.users["admin"])
    match = world.accepted_offer(3)
    elsewhere, other_part = PlantFactory(), PartFactory()

    # when an administrator posts its change page with another plant and part
    response = client.post(
        reverse("admin:inventory_stockitem_change", args=[world.other_stock.pk]),
        {
            "plant": elsewhere.pk,
            "part": other_part.pk,
            "condition": world.other_stock.condition,
            "location": "Galpón 2",
            "exchangeable": "on",
            **NO_MOVEMENT_FORMS,
        },
    )

    # then the other fields change, the plant and part stay, and the matches still tell the truth
    assert response.status_code == 302
    item = StockItem.objects.get(pk=world.other_stock.pk)
    assert (item.plant_id, item.part_id, item.location) == (world.other_plant.pk, world.part.pk, "Galpón 2")
    assert Match.objects.get(pk=match.pk).source_plant_id == item.plant_id
    assert invariant_violations() == []
    page = client.get(reverse("admin:inventory_stockitem_change", args=[world.other_stock.pk])).content.decode()
    assert 'name="plant"' not in page and 'name="part"' not in page


@pytest.mark.parametrize("field", ["plant", "part"])
def test_the_api_refuses_to_move_a_stock_item_naming_the_field(field):
    world = build_world(units=5)
    other = PlantFactory() if field == "plant" else PartFactory()
    if field == "plant":
        MembershipFactory(plant=other, user=world.users["other"])
    client = client_for(world.users["other"])

    response = client.patch(f"/api/stock/{world.other_stock.pk}/", {field: other.pk}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert getattr(StockItem.objects.get(pk=world.other_stock.pk), f"{field}_id") != other.pk


def test_the_api_accepts_a_stock_item_sent_back_with_its_own_plant_and_part():
    world = build_world(units=5)
    client = client_for(world.users["other"])

    response = client.patch(
        f"/api/stock/{world.other_stock.pk}/",
        {"plant": world.other_plant.pk, "part": world.part.pk, "location": "Estante 4"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert StockItem.objects.get(pk=world.other_stock.pk).location == "Estante 4"


def test_a_request_part_cannot_change_once_a_source_was_accepted():
    # given a request with an accepted match
    world = build_world(units=5)
    match = world.accepted_offer(1)
    client = client_for(world.users["owner"])

    # when the requester changes its part
    response = client.patch(f"/api/requests/{match.request_id}/", {"part": PartFactory().pk}, format="json")

    # then it is refused, naming the part, and the request still names the part being sent
    assert response.status_code == 400, response.content
    assert "part" in response.json()
    assert PartRequest.objects.get(pk=match.request_id).part_id == world.part.pk


def test_a_request_cannot_shrink_below_what_accepted_sources_send():
    world = build_world(units=5)
    match = world.accepted_offer(2)
    client = client_for(world.users["owner"])

    response = client.patch(f"/api/requests/{match.request_id}/", {"quantity": 1}, format="json")

    assert response.status_code == 400, response.content
    assert "quantity" in response.json()


def test_deleting_a_user_who_acted_is_refused_and_suggests_deactivating(client):
    # given a member who recorded stock, posted a request and accepted a match
    world = build_world(units=5)
    client.force_login(world.users["admin"])
    exchange_services.match_fulfil(match=world.accepted_offer(1), user=world.users["owner"])
    requester = world.users["owner"]

    # when an administrator tries to delete them
    url = reverse("admin:auth_user_delete", args=[requester.pk])
    page = client.get(url).content.decode()
    response = client.post(url, {"post": "yes"})

    # then the user stays, and so does the record of what they did
    assert get_user_model().objects.filter(pk=requester.pk).exists()
    assert response.status_code == 200
    assert "Deactivate the user instead" in page
    assert MatchStatusChange.objects.filter(user=requester).exists()
    assert PartRequest.objects.filter(created_by=requester).exists()
    assert StockMovement.objects.filter(user=requester).exists()
