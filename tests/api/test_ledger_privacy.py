"""The ledger of a stock item names the matches that moved its units only to those who may see them."""

import pytest

from exchange import services as exchange_services
from tests.conftest import client_for
from tests.factories import MembershipFactory, PlantFactory, UserFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped_world():
    world = build_world(units=5)
    match = world.accepted_offer(2)
    exchange_services.match_fulfil(match=match, user=world.users["owner"])
    return world, match


def transfer_out(client, world):
    response = client.get(f"/api/stock/{world.other_stock.pk}/movements/")
    assert response.status_code == 200, response.content
    (row,) = [row for row in response.json()["results"] if row["reason"] == "transfer_out"]
    return row


def test_a_reader_from_another_plant_sees_the_movement_but_not_the_match_behind_it(shipped_world):
    world, match = shipped_world
    outsider = client_for(MembershipFactory(plant=PlantFactory(name="Textiles Aragua")).user)

    # the match itself is hidden from them
    assert outsider.get(f"/api/matches/{match.pk}/").status_code == 404
    row = transfer_out(outsider, world)

    assert row["delta"] == -2
    assert row["match"] is None and row["user"] is None
    assert f"#{match.request_id}" not in row["note"] and world.owner_plant.name not in row["note"]


@pytest.mark.parametrize("reader", ["source member", "administrator"])
def test_the_item_plant_and_administrators_see_the_match(shipped_world, reader):
    world, match = shipped_world
    user = world.users["other"] if reader == "source member" else UserFactory(is_staff=True)
    client = client_for(user)

    row = transfer_out(client, world)

    assert client.get(f"/api/matches/{match.pk}/").status_code == 200
    assert row["match"] == match.pk
    assert f"#{match.request_id}" in row["note"]
