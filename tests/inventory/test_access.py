"""The rule of who acts for a plant, asked of the services directly where the API does not reach them."""

import io

import pytest
from django.core.exceptions import PermissionDenied

from exchange import catalogue, engine
from exchange import services as exchange_services
from exchange.errors import TransitionNotAllowed
from inventory import access, services, spreadsheets
from inventory.models import Membership
from tests.factories import MembershipFactory, PartFactory, PlantFactory, UserFactory, stock_item

CHAIRS = ["member", "manager", "member_elsewhere", "admin", "admin_member"]


@pytest.fixture
def plant(db):
    return PlantFactory()


@pytest.fixture
def chairs(plant):
    admin_member = UserFactory(is_staff=True)
    MembershipFactory(plant=plant, user=admin_member)
    return {
        "member": MembershipFactory(plant=plant).user,
        "manager": MembershipFactory(plant=plant, role=Membership.Role.MANAGER).user,
        "member_elsewhere": MembershipFactory().user,
        "admin": UserFactory(is_staff=True),
        "admin_member": admin_member,
    }


def allowed(action) -> bool:
    try:
        action()
    except PermissionDenied:
        return False
    return True


def by_chair(chairs, action):
    return {chair: allowed(lambda user=user: action(user)) for chair, user in chairs.items()}


def rule(**allowed_chairs):
    return {chair: allowed_chairs.get(chair, False) for chair in CHAIRS}


RECORDS = rule(member=True, manager=True, admin=True, admin_member=True)
MEMBERSHIPS = rule(manager=True, admin=True, admin_member=True)
ADMINISTRATORS = rule(admin=True, admin_member=True)


def test_stock_counts_in_bulk_are_kept_by_members_and_administrators(plant, chairs):
    part = PartFactory()
    counts = [services.StockCount(part_id=part.pk, condition="new", location="", exchangeable=True, quantity=2)]
    assert by_chair(chairs, lambda user: services.stock_import_counts(plant=plant, counts=counts, user=user)) == RECORDS


def test_a_capability_spreadsheet_is_loaded_by_members_and_administrators(plant, chairs):
    def load(user):
        spreadsheets.import_capabilities(plant=plant, upload=io.BytesIO(b"process\nturning\n"), user=user)

    assert by_chair(chairs, load) == RECORDS


def test_a_count_and_an_adjustment_are_kept_by_members_and_administrators(plant, chairs):
    item = stock_item(plant=plant, quantity=5)
    assert by_chair(chairs, lambda user: services.stock_set_quantity(stock_item=item, quantity=6, user=user)) == RECORDS
    assert (
        by_chair(chairs, lambda user: services.stock_adjust(stock_item=item, delta=1, reason="adjustment", user=user))
        == RECORDS
    )


def test_memberships_are_managed_by_managers_and_administrators(plant, chairs):
    def add_and_remove(user):
        membership = services.membership_create(member=UserFactory(), plant=plant, user=user)
        services.membership_delete(membership=membership, user=user)

    assert by_chair(chairs, add_and_remove) == MEMBERSHIPS


def test_plants_materials_and_part_edits_are_for_administrators(plant, chairs):
    part = PartFactory()

    def edit_records(user):
        services.plant_update(plant=plant, city="Maracay", user=user)
        material = services.material_create(name=f"Steel of {user.username}", family="carbon_steel", user=user)
        services.material_update(material=material, designations=[f"X-{user.pk}"], user=user)
        services.material_delete(material=material, user=user)
        services.part_update(part=part, category="seal", user=user)

    assert by_chair(chairs, edit_records) == ADMINISTRATORS


def test_any_member_of_any_plant_adds_a_part(chairs):
    def add(user):
        services.part_create(name=f"Shaft of {user.username}", user=user)

    assert by_chair(chairs, add) == rule(**dict.fromkeys(CHAIRS, True))
    assert not allowed(lambda: services.part_create(name="Shaft", user=UserFactory()))


def test_merging_parts_is_for_administrators(chairs):
    def merge(user):
        catalogue.part_merge(keep=PartFactory(), duplicates=[PartFactory()], user=user)

    assert by_chair(chairs, merge) == ADMINISTRATORS


def test_only_an_administrator_cancels_a_shipped_match(plant, chairs):
    def cancel_a_shipped_match(user) -> str:
        source = PlantFactory()
        source_member = MembershipFactory(plant=source).user
        part = PartFactory()
        stock_item(plant=source, part=part, quantity=3)
        request = exchange_services.part_request_create(plant=plant, user=chairs["member"], part=part, quantity=1)
        engine.part_request_match(part_request_id=request.pk)
        match = request.matches.get()
        exchange_services.match_approve(match=match, user=chairs["admin"])
        exchange_services.match_quote(match=match, user=source_member, price=5, currency="USD", lead_time_days=1)
        exchange_services.match_accept(match=match, user=chairs["member"])
        exchange_services.match_ship(match=match, user=source_member)
        try:
            exchange_services.match_cancel(match=match, user=user)
        except PermissionDenied:
            return "refused"
        except TransitionNotAllowed:
            return "not while shipped"
        return "cancelled"

    assert {chair: cancel_a_shipped_match(user) for chair, user in chairs.items()} == {
        "member": "not while shipped",
        "manager": "not while shipped",
        "member_elsewhere": "refused",
        "admin": "cancelled",
        "admin_member": "cancelled",
    }


def test_a_missing_user_is_refused_and_the_system_keeps_records_without_acting_for_a_plant(plant):
    with pytest.raises(PermissionDenied):
        services.stock_item_create(plant=plant, part=PartFactory(), user=None)
    item = services.stock_item_create(plant=plant, part=PartFactory(), quantity=2, user=access.SYSTEM)
    assert item.movements.get().user is None
    with pytest.raises(PermissionDenied):
        exchange_services.part_request_create(plant=plant, user=access.SYSTEM, part=item.part, quantity=1)


def test_a_membership_written_after_a_check_is_seen_by_the_same_user_object(plant):
    user = UserFactory()
    assert not access.acts_for_plant(user, plant)

    membership = services.membership_create(member=user, plant=plant, user=access.SYSTEM)
    assert access.acts_for_plant(user, plant)

    # The cache lives on the object: the membership names this same user object.
    services.membership_delete(membership=membership, user=access.SYSTEM)
    assert not access.acts_for_plant(user, plant)

    MembershipFactory(plant=plant, user=user, role=Membership.Role.MANAGER)
    assert access.manages_plant(user, plant)
