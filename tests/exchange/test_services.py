from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from exchange import engine, services
from exchange.errors import TransitionNotAllowed
from exchange.models import Match, PartRequest
from exchange.savings import savings_summary
from exchange.selectors import stock_matches_holding_reservations
from exchange.transitions import TRANSITIONS
from inventory.access import SYSTEM
from inventory.errors import InsufficientStock
from inventory.models import Material, StockItem, StockMovement
from inventory.services import NumberSpec, part_create
from tests.factories import MembershipFactory, PlantFactory, ShopFactory, capability, stock_item

S = Match.Status


@pytest.fixture
def world(make_world):
    return make_world(units=10, quantity=3, import_price_usd=Decimal("42.00"))


def act(world, action, match=None):
    """Perform one lifecycle action as the party the contract gives it to."""
    match = match or world.match
    calls = {
        "approve": lambda: services.match_approve(match=match, user=world.users["admin"]),
        "reject": lambda: services.match_reject(match=match, user=world.users["admin"], reason="Wrong bearing"),
        "quote": lambda: services.match_quote(
            match=match, user=world.users["other"], price=Decimal("150"), currency="VES", lead_time_days=3
        ),
        "accept": lambda: services.match_accept(match=match, user=world.users["owner"]),
        "ship": lambda: services.match_ship(match=match, user=world.users["other"], note="MRW 123"),
        "fulfil": lambda: services.match_fulfil(match=match, user=world.users["owner"]),
        "decline": lambda: services.match_decline(match=match, user=world.users["owner"], reason="lead_time"),
        "cancel": lambda: services.match_cancel(match=match, user=world.users["owner"]),
    }
    return calls[action]()


def bring_to(world, status):
    match = world.bring_to(status, quote={"price": Decimal("150"), "currency": "VES", "lead_time_days": 3})
    assert match.status == status
    return match


def reserved_by_matches(item):
    return stock_matches_holding_reservations().filter(stock_item=item).aggregate(total=Sum("quantity"))["total"] or 0


def assert_ledger_holds(item):
    item.refresh_from_db()
    assert item.movements.aggregate(total=Sum("delta"))["total"] == item.quantity
    assert 0 <= item.reserved <= item.quantity
    assert item.reserved == reserved_by_matches(item)


ALLOWED = [(status, action) for action, (sources, _) in TRANSITIONS.items() for status in sources]
FORBIDDEN = [(status, action) for action, (sources, _) in TRANSITIONS.items() for status in S if status not in sources]


@pytest.mark.parametrize("status, action", ALLOWED)
def test_every_allowed_transition_moves_the_match_and_records_who(world, status, action):
    match = bring_to(world, status)
    if action == "accept":
        act(world, "quote", match)

    act(world, action, match)

    match.refresh_from_db()
    assert match.status == TRANSITIONS[action][1]
    last = match.history.last()
    assert (last.from_status, last.to_status) == (status, match.status)
    assert last.user is not None and last.at is not None
    assert_ledger_holds(world.other_stock)


@pytest.mark.parametrize("status, action", FORBIDDEN)
def test_every_forbidden_transition_is_refused_and_changes_nothing(world, status, action):
    match = bring_to(world, status)
    history = match.history.count()
    item_before = StockItem.objects.values("quantity", "reserved").get(pk=world.other_stock.pk)

    with pytest.raises(TransitionNotAllowed):
        act(world, action, match)

    match.refresh_from_db()
    assert match.status == status
    assert match.history.count() == history
    assert StockItem.objects.values("quantity", "reserved").get(pk=world.other_stock.pk) == item_before


def test_quote_is_allowed_only_before_acceptance(world):
    for status in (S.ACCEPTED, S.REJECTED, S.DECLINED):
        match = Match.objects.get(pk=world.match.pk)
        Match.objects.filter(pk=match.pk).update(status=status)
        with pytest.raises(TransitionNotAllowed):
            act(world, "quote", match)


def test_accept_needs_a_quote(world):
    act(world, "approve")

    with pytest.raises(TransitionNotAllowed):
        act(world, "accept")


def test_accept_reserves_and_refuses_when_the_units_are_gone(world):
    act(world, "approve")
    act(world, "quote")
    StockItem.objects.filter(pk=world.other_stock.pk).update(reserved=9)

    with pytest.raises(InsufficientStock):
        act(world, "accept")

    match = Match.objects.get(pk=world.match.pk)
    assert match.status == S.APPROVED
    assert StockItem.objects.get(pk=world.other_stock.pk).reserved == 9


def test_cancel_releases_the_reservation(world):
    match = bring_to(world, S.ACCEPTED)
    assert StockItem.objects.get(pk=world.other_stock.pk).reserved == 3

    act(world, "cancel", match)

    assert StockItem.objects.get(pk=world.other_stock.pk).reserved == 0
    assert_ledger_holds(world.other_stock)


def test_a_shipped_match_can_be_cancelled_only_by_an_administrator(world):
    match = bring_to(world, S.SHIPPED)
    with pytest.raises(TransitionNotAllowed):
        act(world, "cancel", match)

    services.match_cancel(match=match, user=world.users["admin"], note="Lost in transit")

    match.refresh_from_db()
    assert match.status == S.CANCELLED
    assert StockItem.objects.get(pk=world.other_stock.pk).reserved == 0


def test_shipping_moves_units_out_through_the_ledger_and_fulfil_counts_the_dollars(world):
    match = bring_to(world, S.SHIPPED)
    item = StockItem.objects.get(pk=world.other_stock.pk)
    assert (item.quantity, item.reserved, match.quantity_in_transit) == (7, 0, 3)
    out = item.movements.get(reason=StockMovement.Reason.TRANSFER_OUT)
    assert (out.delta, out.match, out.user) == (-3, match.pk, world.users["other"])

    act(world, "fulfil", match)

    match.refresh_from_db()
    item = StockItem.objects.get(pk=world.other_stock.pk)
    part_request = PartRequest.objects.get(pk=world.request.pk)
    assert (item.quantity, item.reserved, item.movements.count()) == (7, 0, 2)
    assert (match.quantity_received, match.quantity_in_transit) == (3, 0)
    assert match.usd_avoided == Decimal("126.00")
    assert part_request.quantity_fulfilled == 3
    assert part_request.status == PartRequest.Status.FULFILLED
    assert_ledger_holds(item)
    assert savings_summary()["usd_avoided_total"] == Decimal("126.00")
    # The source's quote (150 VES at 40 VES a dollar) is the domestic cost the net subtracts.
    assert match.usd_domestic_cost == Decimal("3.75")
    assert savings_summary()["usd_avoided_by_state"] == [
        {"key": "Barinas", "usd_avoided": Decimal("126.00"), "usd_net": Decimal("122.25")}
    ]
    assert savings_summary()["domestic_spend_by_currency"] == {"VES": Decimal("150.00")}


def test_partial_fulfilment_leaves_the_request_open(world):
    act(world, "approve")
    services.match_quote(
        match=world.match,
        user=world.users["other"],
        price=Decimal("80"),
        currency="USD",
        lead_time_days=2,
        quantity=2,
    )
    act(world, "accept")
    act(world, "fulfil")

    part_request = PartRequest.objects.get(pk=world.request.pk)
    assert (part_request.quantity_fulfilled, part_request.status) == (2, PartRequest.Status.OPEN)


def test_quote_refuses_more_units_than_needed_or_held(world):
    with pytest.raises(ValidationError) as error:
        services.match_quote(
            match=world.match,
            user=world.users["other"],
            price=Decimal("1"),
            currency="USD",
            lead_time_days=1,
            quantity=4,
        )
    assert "quantity" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.match_quote(
            match=world.match, user=world.users["other"], price=Decimal("1"), currency="EUR", lead_time_days=1
        )
    assert "currency" in error.value.message_dict


def test_cancelling_a_request_declines_open_matches_and_releases_reservations(world):
    accepted = bring_to(world, S.ACCEPTED)
    other_plant = PlantFactory(name="Other store")
    other_item = stock_item(plant=other_plant, part=world.part, quantity=5)
    engine.part_request_match(part_request_id=world.request.pk)
    proposed = Match.objects.get(stock_item=other_item)

    services.part_request_cancel(part_request=world.request, user=world.users["owner"])

    accepted.refresh_from_db()
    proposed.refresh_from_db()
    assert accepted.status == S.CANCELLED
    assert proposed.status == S.DECLINED
    assert StockItem.objects.get(pk=world.other_stock.pk).reserved == 0
    assert PartRequest.objects.get(pk=world.request.pk).status == PartRequest.Status.CANCELLED


def test_only_the_parties_may_act(world):
    with pytest.raises(PermissionDenied):
        services.match_approve(match=world.match, user=world.users["owner"])
    act(world, "approve")
    with pytest.raises(PermissionDenied):
        services.match_quote(
            match=world.match, user=world.users["owner"], price=Decimal("1"), currency="USD", lead_time_days=1
        )
    act(world, "quote")
    with pytest.raises(PermissionDenied):
        services.match_accept(match=world.match, user=world.users["other"])
    with pytest.raises(PermissionDenied):
        services.match_decline(match=world.match, user=world.users["shop"])
    with pytest.raises(PermissionDenied):
        services.part_request_cancel(part_request=world.request, user=world.users["shop"])


# Requests


def test_a_request_resolves_its_number_and_takes_the_fabrication_spec_from_the_part(db):
    plant = PlantFactory()
    user = MembershipFactory(plant=plant).user
    steel = Material.objects.create(name="Carbon steel 1045", family="carbon_steel")
    shaft = part_create(
        user=SYSTEM,
        name="Shaft",
        material=steel,
        processes=["turning"],
        diameter_mm=80,
        length_mm=600,
        weight_kg=24,
        it_grade=8,
        import_price_usd=Decimal("1400"),
        numbers=[NumberSpec("MB", "MB-EJE-080-600")],
    )

    part_request = services.part_request_create(
        plant=plant, user=user, number="mb eje 080 600", quantity=1, criticality="degraded", it_grade=7
    )

    assert part_request.part == shaft
    assert part_request.material == steel
    assert part_request.processes == ["turning"]
    assert part_request.diameter_mm == 80 and part_request.it_grade == 7
    assert part_request.import_price_usd == Decimal("1400")


def test_a_request_described_only_in_words_is_saved_but_gets_no_engine_matches(db, django_capture_on_commit_callbacks):
    plant = PlantFactory()
    user = MembershipFactory(plant=plant).user
    with django_capture_on_commit_callbacks(execute=True):
        part_request = services.part_request_create(
            plant=plant, user=user, description="Impulsor de bomba de 6 álabes", quantity=1, criticality="degraded"
        )
    saved = PartRequest.objects.get(pk=part_request.pk)
    assert (saved.part, saved.description, saved.status) == (None, "Impulsor de bomba de 6 álabes", "open")
    assert not saved.matches.exists()


def test_a_request_needs_a_part_a_number_or_a_description(db):
    plant = PlantFactory()
    user = MembershipFactory(plant=plant).user
    with pytest.raises(ValidationError) as error:
        services.part_request_create(plant=plant, user=user, quantity=1, criticality="degraded")
    assert "part" in error.value.message_dict
    assert not PartRequest.objects.exists()


def test_a_plant_member_cannot_post_for_another_plant(db):
    user = MembershipFactory().user
    with pytest.raises(PermissionDenied):
        services.part_request_create(plant=PlantFactory(), user=user, number="X", quantity=1, criticality="degraded")


def test_requests_past_their_date_and_grace_expire_and_release(world, settings):
    settings.REQUEST_EXPIRY_GRACE_DAYS = 7
    bring_to(world, S.ACCEPTED)
    PartRequest.objects.filter(pk=world.request.pk).update(needed_by=timezone.localdate() - timedelta(days=8))

    assert services.part_requests_expire() == 1
    assert services.part_requests_expire() == 0

    assert PartRequest.objects.get(pk=world.request.pk).status == PartRequest.Status.EXPIRED
    assert Match.objects.get(pk=world.match.pk).status == S.CANCELLED
    assert StockItem.objects.get(pk=world.other_stock.pk).reserved == 0


def test_requests_within_their_grace_period_stay_open(world, settings):
    settings.REQUEST_EXPIRY_GRACE_DAYS = 7
    PartRequest.objects.filter(pk=world.request.pk).update(needed_by=timezone.localdate() - timedelta(days=6))

    assert services.part_requests_expire() == 0


# Offers


def test_a_shop_offers_its_capability_on_an_open_request(world):
    shop = ShopFactory()
    shop_user = MembershipFactory(plant=shop).user
    turning = capability(plant=shop, process="turning")

    offer = services.match_offer_create(
        part_request=world.request,
        user=shop_user,
        capability=turning,
        price=Decimal("90"),
        currency="USD",
        lead_time_days=7,
    )

    assert (offer.origin, offer.status, offer.source) == ("offer", S.PROPOSED, "fabrication")
    assert offer.is_quoted and offer.quantity == 3
    with pytest.raises(PermissionDenied):
        services.match_offer_create(
            part_request=world.request,
            user=world.users["owner"],
            capability=turning,
            price=Decimal("1"),
            currency="USD",
            lead_time_days=1,
        )


def test_an_offer_of_stock_must_be_the_requested_part(world):
    wrong = stock_item(plant=PlantFactory(), quantity=4)
    user = MembershipFactory(plant=wrong.plant).user
    with pytest.raises(ValidationError) as error:
        services.match_offer_create(
            part_request=world.request,
            user=user,
            stock_item=wrong,
            price=Decimal("1"),
            currency="USD",
            lead_time_days=1,
        )
    assert "stock_item" in error.value.message_dict


# Notifications


def mailed_to():
    return {email for message in mail.outbox for email in message.to}


def test_notifications_go_to_the_other_plant_only_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "approve")
    requesting_plant = {world.users[role].email for role in ("owner", "member", "admin_member")}
    assert mailed_to() == requesting_plant | {world.users["other"].email}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        act(world, "quote")
    assert mailed_to() == requesting_plant
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        act(world, "accept")
    assert [message.to for message in mail.outbox] == [[world.users["other"].email]]
    assert world.users["shop"].email not in {email for message in mail.outbox for email in message.to}


def test_a_rolled_back_accept_sends_nothing(world, django_capture_on_commit_callbacks):
    act(world, "approve")
    act(world, "quote")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        act(world, "accept")
        transaction.set_rollback(True)

    assert callbacks == []
    assert mail.outbox == []
    assert Match.objects.get(pk=world.match.pk).status == S.APPROVED


def test_an_offer_the_engine_finds_feasible_is_scored_like_its_proposals(world, django_capture_on_commit_callbacks):
    holder = PlantFactory(name="Holder", latitude=8.6, longitude=-70.2)
    holder_user = MembershipFactory(plant=holder).user
    held = stock_item(plant=holder, part=world.part, quantity=2)

    with django_capture_on_commit_callbacks(execute=True):
        offer = services.match_offer_create(
            part_request=world.request,
            user=holder_user,
            stock_item=held,
            price=Decimal("20"),
            currency="USD",
            lead_time_days=2,
        )

    offer.refresh_from_db()
    proposal = Match.objects.get(pk=world.match.pk)
    assert offer.origin == "offer"
    assert 0 < offer.score <= 1
    assert offer.summary
    assert offer.explanation.keys() == proposal.explanation.keys()
    assert offer.quantity == 2


def test_acting_on_a_proposal_the_engine_withdrew_meanwhile_is_a_conflict(world):
    loaded = Match.objects.get(pk=world.match.pk)
    Match.objects.filter(pk=loaded.pk).delete()

    with pytest.raises(TransitionNotAllowed):
        services.match_quote(
            match=loaded, user=world.users["other"], price=Decimal("1"), currency="USD", lead_time_days=1
        )


def test_the_engine_keeps_a_quoted_proposal_that_fell_out_of_the_best(world, settings):
    act(world, "quote")
    # A nearer store holding every unit takes the only place among the best; the quoted units are still there.
    settings.MATCHING_TOP_N = 1
    stock_item(plant=world.owner_plant, part=world.part, quantity=5, location="C-3")

    engine.part_request_match(part_request_id=world.request.pk)

    kept = Match.objects.get(pk=world.match.pk)
    assert kept.status == S.PROPOSED
    assert (kept.quote_price, kept.quote_currency, kept.quote_lead_time_days) == (Decimal("150.00"), "VES", 3)
