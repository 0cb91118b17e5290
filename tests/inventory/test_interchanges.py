"""Interchangeable parts in the catalogue: who proposes and decides, the constraints, and merges of duplicates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from exchange import catalogue
from exchange.models import Match
from inventory import services
from inventory.access import SYSTEM
from inventory.errors import ConflictError
from inventory.models import Interchange
from tests.factories import PartFactory, PartRequestFactory, UserFactory, stock_item


def propose(world, substitute, part=None, role="other", **fields):
    fields.setdefault("note", "Catálogo del fabricante, página 12")
    return services.interchange_propose(
        part=part or world.part, substitute=substitute, user=world.users[role], **fields
    )


@pytest.mark.parametrize("role", ["owner", "member", "other", "shop", "admin"])
def test_any_member_or_administrator_proposes_and_it_waits_for_approval(world, role):
    interchange = propose(world, PartFactory(), role=role)

    assert (interchange.status, interchange.created_by) == (Interchange.Status.PROPOSED, world.users[role])


def test_a_user_of_no_plant_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        services.interchange_propose(part=world.part, substitute=PartFactory(), note="x", user=UserFactory())


@pytest.mark.parametrize("decide", [services.interchange_approve, services.interchange_reject])
@pytest.mark.parametrize("role", ["owner", "other"])
def test_only_administrators_decide(world, decide, role):
    interchange = propose(world, PartFactory())

    with pytest.raises(PermissionDenied):
        decide(interchange=interchange, user=world.users[role])

    interchange.refresh_from_db()
    assert interchange.status == Interchange.Status.PROPOSED


def test_an_administrator_approves_then_withdraws_and_who_decided_is_kept(world):
    interchange = propose(world, PartFactory())

    approved = services.interchange_approve(interchange=interchange, user=world.users["admin"])
    assert (approved.status, approved.approved_by, approved.decided_at is not None) == (
        Interchange.Status.APPROVED,
        world.users["admin"],
        True,
    )
    withdrawn = services.interchange_reject(interchange=interchange, user=world.users["admin_member"])
    assert (withdrawn.status, withdrawn.approved_by) == (Interchange.Status.REJECTED, world.users["admin_member"])


def test_a_part_is_never_its_own_substitute(world):
    with pytest.raises(ValidationError) as refused:
        propose(world, world.part)
    assert "substitute" in refused.value.message_dict


def test_parts_sharing_a_number_need_no_interchange(world):
    twin = PartFactory(numbers=[("generic", "6205 2RS")])

    with pytest.raises(ConflictError):
        propose(world, twin)


@pytest.mark.parametrize("reverse", [False, True], ids=["same way", "the other way"])
def test_one_interchange_per_pair_of_parts(world, reverse):
    substitute = PartFactory()
    propose(world, substitute)

    with pytest.raises(ConflictError, match="#"):
        propose(world, world.part, part=substitute) if reverse else propose(world, substitute)
    assert Interchange.objects.count() == 1


@pytest.mark.parametrize("reverse", [False, True], ids=["same way", "the other way"])
def test_the_database_holds_one_per_pair_and_none_of_a_part_with_itself(world, reverse):
    substitute = PartFactory()
    Interchange.objects.create(part=world.part, substitute=substitute, note="a")

    with pytest.raises(IntegrityError), transaction.atomic():
        if reverse:
            Interchange.objects.create(part=substitute, substitute=world.part, note="b")
        else:
            Interchange.objects.create(part=world.part, substitute=substitute, note="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Interchange.objects.create(part=substitute, substitute=substitute, note="c")


def pairs():
    return sorted(
        (interchange.part_id, interchange.substitute_id, interchange.two_way, interchange.status)
        for interchange in Interchange.objects.all()
    )


def test_merging_two_parts_an_interchange_links_deletes_it(world):
    duplicate = PartFactory()
    interchange = propose(world, duplicate)
    services.interchange_approve(interchange=interchange, user=SYSTEM)

    catalogue.part_merge(keep=world.part, duplicates=[duplicate], user=world.users["admin"])

    assert pairs() == []


def test_merging_repoints_a_duplicates_interchange_to_the_kept_part(world):
    duplicate, substitute = PartFactory(), PartFactory()
    propose(world, substitute, part=duplicate)

    result = catalogue.part_merge(keep=world.part, duplicates=[duplicate], user=world.users["admin"])

    assert result.interchanges_moved == 1
    assert pairs() == [(world.part.pk, substitute.pk, False, "proposed")]


def test_merging_keeps_the_approved_of_two_interchanges_that_become_one(world):
    duplicate, substitute = PartFactory(), PartFactory()
    propose(world, substitute)
    approved = propose(world, substitute, part=duplicate)
    services.interchange_approve(interchange=approved, user=SYSTEM)

    catalogue.part_merge(keep=world.part, duplicates=[duplicate], user=world.users["admin"])

    assert pairs() == [(world.part.pk, substitute.pk, False, "approved")]


def test_merging_two_approved_interchanges_of_opposite_ways_makes_one_two_way(world):
    duplicate, other = PartFactory(), PartFactory()
    for interchange in (propose(world, other), propose(world, duplicate, part=other)):
        services.interchange_approve(interchange=interchange, user=SYSTEM)

    catalogue.part_merge(keep=world.part, duplicates=[duplicate], user=world.users["admin"])

    assert pairs() == [(world.part.pk, other.pk, True, "approved")]


def test_a_merge_that_repoints_an_approved_interchange_rematches_the_requests_it_serves(
    world, django_capture_on_commit_callbacks
):
    # given: the world's bearing may replace a duplicate entry of a seal's part, and a plant needs that seal
    needed, duplicate = PartFactory(), PartFactory()
    services.interchange_approve(interchange=propose(world, duplicate, part=needed), user=SYSTEM)
    need = PartRequestFactory(plant=world.owner_plant, part=needed, quantity=1)
    Match.objects.filter(request=need).delete()
    held = stock_item(plant=world.shop, part=world.part, quantity=1)

    # when: the duplicate is merged into the world's bearing
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.part_merge(keep=world.part, duplicates=[duplicate], user=world.users["admin"])

    # then
    assert Match.objects.filter(request=need, stock_item=held).exists()
