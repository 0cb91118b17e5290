"""A request is never served twice: accepting reserves no more than the request still needs."""

from collections import Counter
from decimal import Decimal

import pytest

from bench.invariants import invariant_violations
from exchange import services as exchange_services
from exchange.models import Match, PartRequest
from inventory.models import StockItem
from tests.conftest import client_for, requires_postgres
from tests.factories import MembershipFactory, PartFactory, PlantFactory, ShopFactory, UserFactory, stock_item
from tests.racing import all_at_once


class TwoSources:
    """One request and two stores holding the part, each with a member to offer it."""

    def __init__(self, *, needed=1):
        self.admin = UserFactory(is_staff=True)
        self.requesting_plant = PlantFactory()
        self.requester = MembershipFactory(plant=self.requesting_plant).user
        self.part = PartFactory(import_price_usd=Decimal("40.00"))
        self.request = exchange_services.part_request_create(
            plant=self.requesting_plant, user=self.requester, part=self.part, quantity=needed
        )
        self.stores = [ShopFactory(), ShopFactory()]
        self.items = [stock_item(plant=store, part=self.part, quantity=3) for store in self.stores]

    def approved_offer(self, index, quantity=1):
        store = self.stores[index]
        match = exchange_services.match_offer_create(
            part_request=self.request,
            user=MembershipFactory(plant=store).user,
            price=Decimal("25.00"),
            currency="USD",
            lead_time_days=3,
            quantity=quantity,
            stock_item=self.items[index],
        )
        return exchange_services.match_approve(match=match, user=self.admin)


def accept(client, match):
    return client.post(f"/api/matches/{match.pk}/accept/", {}, format="json")


def test_a_second_offer_for_a_unit_already_accepted_is_a_conflict_and_reserves_nothing(db):
    # given a request for 1 unit and two approved 1-unit offers
    world = TwoSources(needed=1)
    first, second = world.approved_offer(0), world.approved_offer(1)
    client = client_for(world.requester)

    # when the requester accepts both, one after the other
    assert accept(client, first).status_code == 200
    response = accept(client, second)

    # then the second is refused, says why, and its store keeps every unit
    assert response.status_code == 409, response.content
    assert "already cover" in response.json()["detail"]
    second.refresh_from_db()
    assert second.status == Match.Status.APPROVED
    assert StockItem.objects.get(pk=world.items[1].pk).reserved == 0
    assert invariant_violations() == []


def test_an_offer_larger_than_what_is_still_needed_is_a_conflict_until_requoted(db):
    # given a request for 2 units, 1 of them accepted from one store, and 2 units offered by the other
    world = TwoSources(needed=2)
    first, second = world.approved_offer(0, quantity=1), world.approved_offer(1, quantity=2)
    client = client_for(world.requester)
    assert accept(client, first).status_code == 200

    # when the requester accepts the 2-unit offer
    response = accept(client, second)

    # then it is refused until the source quotes the 1 unit still needed
    assert response.status_code == 409, response.content
    assert StockItem.objects.get(pk=world.items[1].pk).reserved == 0
    source = client_for(MembershipFactory(plant=world.stores[1]).user)
    requote = source.post(
        f"/api/matches/{second.pk}/quote/",
        {"price": "12.50", "currency": "USD", "lead_time_days": 3, "quantity": 1},
        format="json",
    )
    assert requote.status_code == 200, requote.content
    assert accept(client, second).status_code == 200
    assert StockItem.objects.get(pk=world.items[1].pk).reserved == 1
    assert invariant_violations() == []


def test_a_cancelled_acceptance_gives_the_units_back_to_the_request(db):
    # given a 1-unit request whose first accepted source cancelled
    world = TwoSources(needed=1)
    first, second = world.approved_offer(0), world.approved_offer(1)
    client = client_for(world.requester)
    assert accept(client, first).status_code == 200
    assert client.post(f"/api/matches/{first.pk}/cancel/", {}, format="json").status_code == 200

    # when the requester accepts the other source
    response = accept(client, second)

    # then it is taken
    assert response.status_code == 200, response.content


# Rounds of the race below; each is a fresh request with two fresh sources.
RACE_ROUNDS = 10


def _race_two_acceptances():
    world = TwoSources(needed=1)
    matches = [world.approved_offer(0), world.approved_offer(1)]
    clients = [client_for(world.requester) for _ in matches]
    answers = all_at_once(
        [
            lambda client=client, match=match: accept(client, match)
            for client, match in zip(clients, matches, strict=True)
        ]
    )
    statuses = Counter(getattr(answer, "status_code", repr(answer)) for answer in answers)
    reserved = sum(StockItem.objects.filter(pk__in=[i.pk for i in world.items]).values_list("reserved", flat=True))
    return world, statuses, reserved


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_offers_accepted_at_the_same_instant_serve_the_request_once():
    # given, in each round, a request for 1 unit and two approved 1-unit offers from two stores
    # when both are accepted at the same instant
    rounds = [_race_two_acceptances() for _ in range(RACE_ROUNDS)]

    # then in every round one is taken and the other refused, and one unit is reserved in all
    assert [statuses for _, statuses, _ in rounds] == [Counter({200: 1, 409: 1})] * RACE_ROUNDS
    assert [reserved for _, _, reserved in rounds] == [1] * RACE_ROUNDS
    for world, _, _ in rounds:
        assert Match.objects.filter(request=world.request, status=Match.Status.ACCEPTED).count() == 1
        assert PartRequest.objects.get(pk=world.request.pk).status == PartRequest.Status.OPEN
    assert invariant_violations() == []
