"""Proposals stay true: when a source's units fall or its workshop changes, what the open matches promise follows."""

from collections import Counter
from decimal import Decimal

import pytest

from bench.invariants import invariant_violations
from exchange import engine
from exchange import services as exchange_services
from exchange.models import Match, PartRequest
from inventory import services as inventory_services
from inventory.access import SYSTEM
from inventory.models import StockItem
from tests.conftest import client_for, requires_postgres
from tests.factories import MembershipFactory, PartFactory, PlantFactory, UserFactory, stock_item
from tests.racing import all_at_once

QUOTE = {"price": "30", "currency": "USD", "lead_time_days": 3}


def count(world, item, quantity):
    return world.client("other").patch(f"/api/stock/{item.pk}/", {"quantity": quantity}, format="json")


def open_matches(world, part_request):
    response = world.client("owner").get(f"/api/requests/{part_request.pk}/matches/", HTTP_ACCEPT_LANGUAGE="en")
    return {match["stock_item"]: match for match in response.json()["results"]}


def quoted_and_approved(world):
    world.quote_and_approve()
    world.match.refresh_from_db()
    return world.match


def test_a_count_down_lowers_the_proposal_to_the_units_left(world, django_capture_on_commit_callbacks):
    # given the engine's proposal of the other plant's 3 units for a request of 2
    assert open_matches(world, world.request)[world.other_stock.pk]["quantity"] == 2

    # when the other plant counts 1 unit
    with django_capture_on_commit_callbacks(execute=True):
        assert count(world, world.other_stock, 1).status_code == 200

    # then the proposal promises 1, and says so
    match = open_matches(world, world.request)[world.other_stock.pk]
    assert match["quantity"] == 1
    assert "covers 1 of 2 units" in match["explanation"]["summary"]


def test_a_fall_that_leaves_a_proposal_its_units_re_matches_nothing(world):
    # given the proposal of 2 of the other plant's 3 units
    StockItem.objects.filter(pk=world.other_stock.pk).update(quantity=2)

    # the units it promises are still there: nothing to re-match
    assert engine.proposals_refresh(stock_item_ids=[world.other_stock.pk]) == 0

    StockItem.objects.filter(pk=world.other_stock.pk).update(quantity=1)
    assert engine.proposals_refresh(stock_item_ids=[world.other_stock.pk]) == 1
    assert open_matches(world, world.request)[world.other_stock.pk]["quantity"] == 1


def test_a_count_to_zero_withdraws_the_proposal(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert count(world, world.other_stock, 0).status_code == 200

    assert world.other_stock.pk not in open_matches(world, world.request)


def test_a_quoted_match_above_the_units_left_is_lowered_and_quoted_again(world, django_capture_on_commit_callbacks):
    # given an approved match quoted for 2 units
    match = quoted_and_approved(world)
    assert match.quantity == 2

    # when the source counts 1 unit
    with django_capture_on_commit_callbacks(execute=True):
        assert count(world, world.other_stock, 1).status_code == 200

    # then the match holds 1 unit, still approved, its quote cleared, and its history says why
    shown = world.client("owner").get(f"/api/matches/{match.pk}/").json()
    assert (shown["status"], shown["quantity"], shown["quote"]) == ("approved", 1, None)
    assert "quotes again" in match.history.order_by("-id").first().note
    # an accept waits for the new quote rather than failing for units that are gone
    refused = world.client("owner").post(f"/api/matches/{match.pk}/accept/", {}, format="json")
    assert refused.status_code == 409 and "not quoted" in refused.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        requoted = world.client("other").post(f"/api/matches/{match.pk}/quote/", QUOTE, format="json")
        assert requoted.status_code == 200
        assert world.client("owner").post(f"/api/matches/{match.pk}/accept/", {}, format="json").status_code == 200
    assert StockItem.objects.get(pk=world.other_stock.pk).reserved == 1


def test_a_quoted_match_whose_units_are_gone_is_withdrawn(world, django_capture_on_commit_callbacks):
    match = quoted_and_approved(world)

    with django_capture_on_commit_callbacks(execute=True):
        inventory_services.stock_item_update(user=SYSTEM, stock_item=world.other_stock, exchangeable=False)

    match.refresh_from_db()
    assert match.status == Match.Status.DECLINED
    assert "no longer holds" in match.history.order_by("-id").first().note


def test_a_reservation_by_another_match_lowers_the_other_proposals(world, django_capture_on_commit_callbacks):
    # given a second request of 2 that the same 3 units are proposed for
    with django_capture_on_commit_callbacks(execute=True):
        second = world.new_request(quantity=2)
    assert open_matches(world, second)[world.other_stock.pk]["quantity"] == 2

    # when the first request accepts its 2 units
    with django_capture_on_commit_callbacks(execute=True):
        world.accept()

    # then the second request's proposal promises the 1 unit left
    assert open_matches(world, second)[world.other_stock.pk]["quantity"] == 1
    assert invariant_violations() == []


def test_an_import_that_counts_down_lowers_the_proposals(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inventory_services.stock_import_counts(
            plant=world.other_plant,
            counts=[inventory_services.StockCount(world.part.pk, "new", "", True, 1)],
            user=SYSTEM,
        )

    assert open_matches(world, world.request)[world.other_stock.pk]["quantity"] == 1


# Workshops


@pytest.fixture
def turning_request(world, django_capture_on_commit_callbacks):
    """A shaft the world's shop can turn, and the engine's proposal of that shop."""
    with django_capture_on_commit_callbacks(execute=True):
        part_request = exchange_services.part_request_create(
            plant=world.owner_plant,
            user=world.users["owner"],
            description="Eje de bomba",
            quantity=1,
            material=world.material,
            processes=["turning"],
            diameter_mm=Decimal("80"),
        )
    return part_request


def workshop_match(world, part_request):
    return Match.objects.filter(request=part_request, source_plant=world.shop).first()


def test_a_capability_narrowed_below_the_part_withdraws_its_proposal(
    world, turning_request, django_capture_on_commit_callbacks
):
    assert workshop_match(world, turning_request) is not None

    with django_capture_on_commit_callbacks(execute=True):
        inventory_services.capability_update(
            capability=world.capability, user=world.users["shop"], max_diameter_mm=Decimal("50")
        )

    assert workshop_match(world, turning_request) is None


def test_a_quoted_workshop_match_that_no_longer_serves_is_withdrawn(
    world, turning_request, django_capture_on_commit_callbacks
):
    match = workshop_match(world, turning_request)
    exchange_services.match_quote(
        match=match, user=world.users["shop"], price=Decimal("90"), currency="USD", lead_time_days=10
    )

    with django_capture_on_commit_callbacks(execute=True):
        inventory_services.capability_update(capability=world.capability, user=world.users["shop"], materials=[])

    match.refresh_from_db()
    assert match.status == Match.Status.DECLINED


def test_deleting_a_capability_withdraws_the_proposals_nobody_reviewed(
    world, turning_request, django_capture_on_commit_callbacks
):
    path = f"/api/capabilities/{world.capability.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        assert world.client("shop").delete(path).status_code == 204

    assert workshop_match(world, turning_request) is None


def test_a_capability_with_a_quoted_match_cannot_be_deleted_and_nothing_changes(world, turning_request):
    match = workshop_match(world, turning_request)
    exchange_services.match_quote(
        match=match, user=world.users["shop"], price=Decimal("90"), currency="USD", lead_time_days=10
    )

    response = world.client("shop").delete(f"/api/capabilities/{world.capability.pk}/")

    assert response.status_code == 409
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED


# Reservation by another match, at the same instant, on PostgreSQL

RACE_ROUNDS = 5


def _race_for_three_units():
    # Three requests of 2 units each, each with an approved, quoted proposal of the same 3 units.
    admin = UserFactory(is_staff=True, is_superuser=True)
    part = PartFactory()
    source_plant = PlantFactory(latitude=8.3, longitude=-62.7)
    source_member = MembershipFactory(plant=source_plant).user
    item = stock_item(plant=source_plant, part=part, quantity=3)
    requesters, matches = [], []
    for _ in range(3):
        plant = PlantFactory()
        requester = MembershipFactory(plant=plant).user
        part_request = exchange_services.part_request_create(plant=plant, user=requester, part=part, quantity=2)
        match = Match.objects.get(request=part_request, stock_item=item)
        exchange_services.match_quote(
            match=match, user=source_member, price=Decimal("30"), currency="USD", lead_time_days=3
        )
        exchange_services.match_approve(match=match, user=admin)
        requesters.append(requester)
        matches.append(match)
    clients = [client_for(requester) for requester in requesters[:2]]
    answers = all_at_once(
        [
            lambda client=client, match=match: client.post(f"/api/matches/{match.pk}/accept/", {}, format="json")
            for client, match in zip(clients, matches[:2], strict=True)
        ]
    )
    statuses = Counter(getattr(answer, "status_code", repr(answer)) for answer in answers)
    return item, statuses


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_the_same_instant_leave_every_other_proposal_true():
    # given, in each round, 3 units proposed to three requests of 2, two of which accept at the same instant
    rounds = [_race_for_three_units() for _ in range(RACE_ROUNDS)]

    # then one acceptance takes 2 units, the other is refused, and no open match promises more than is left
    assert [statuses for _, statuses in rounds] == [Counter({200: 1, 409: 1})] * RACE_ROUNDS
    for item, _ in rounds:
        item.refresh_from_db()
        assert item.quantity_available == 1
        promised = Match.objects.filter(
            stock_item=item, status__in=[Match.Status.PROPOSED, Match.Status.APPROVED], request__status="open"
        ).values_list("quantity", flat=True)
        assert sorted(promised) == [1, 1]
    assert PartRequest.objects.filter(status=PartRequest.Status.OPEN).count() == 3 * RACE_ROUNDS
    assert invariant_violations() == []
