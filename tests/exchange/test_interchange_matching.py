"""Matching through interchangeable parts: one way unless two way, below a shared number, named in the explanation."""

import pytest

from exchange import engine
from exchange.models import Match
from inventory import services
from inventory.access import SYSTEM
from tests.factories import PartFactory, PartRequestFactory, PlantFactory, stock_item


@pytest.fixture
def substitute(world):
    """Another bearing, sharing no number with the world's, held by a plant next to the requester."""
    part = PartFactory(name="Rodamiento 6205 equivalente", numbers=[("KOYO", "6205-2RSCM")])
    plant = PlantFactory(name="Central Azucarera Barinas", latitude=8.62, longitude=-70.21)
    return stock_item(plant=plant, part=part, quantity=4)


def interchange(world, substitute_item, *, part=None, approve=True, two_way=False):
    proposed = services.interchange_propose(
        part=part or world.part,
        substitute=substitute_item.part,
        two_way=two_way,
        note="Ficha técnica del fabricante",
        user=world.users["other"],
    )
    return services.interchange_approve(interchange=proposed, user=SYSTEM) if approve else proposed


def match_of(part_request, stock):
    engine.part_request_match(part_request_id=part_request.pk)
    return Match.objects.filter(request=part_request, stock_item=stock).first()


def test_stock_of_an_approved_substitute_is_proposed_and_the_explanation_names_the_interchange(world, substitute):
    approved = interchange(world, substitute)

    match = match_of(world.request, substitute)

    assert match is not None
    assert (match.explanation["fit"], match.explanation["interchange"]) == ("interchange", approved.pk)
    assert f"#{approved.pk}" in match.summary


@pytest.mark.parametrize("decided", ["proposed", "rejected"])
def test_an_interchange_not_approved_proposes_nothing(world, substitute, decided):
    proposed = interchange(world, substitute, approve=False)
    if decided == "rejected":
        services.interchange_reject(interchange=proposed, user=SYSTEM)

    assert match_of(world.request, substitute) is None


def test_one_way_the_part_does_not_serve_a_need_for_its_substitute(world, substitute):
    interchange(world, substitute)
    need_for_substitute = PartRequestFactory(plant=world.owner_plant, part=substitute.part, quantity=1)

    assert match_of(need_for_substitute, world.other_stock) is None


def test_two_way_the_part_serves_a_need_for_its_substitute(world, substitute):
    interchange(world, substitute, two_way=True)
    need_for_substitute = PartRequestFactory(plant=world.owner_plant, part=substitute.part, quantity=1)

    assert match_of(need_for_substitute, world.other_stock).explanation["fit"] == "interchange"


def test_a_part_sharing_a_number_with_the_substitute_serves_too(world, substitute):
    interchange(world, substitute)
    twin = PartFactory(numbers=[("generic", "6205 2RSCM")])
    twin_stock = stock_item(plant=substitute.plant, part=twin, quantity=2)

    assert match_of(world.request, twin_stock).explanation["fit"] == "interchange"


def test_a_substitute_ranks_below_a_shared_number_and_the_same_part_other_things_equal(world, substitute):
    interchange(world, substitute)
    plant = substitute.plant
    same = stock_item(plant=plant, part=world.part, quantity=4, location="A")
    twin = stock_item(plant=plant, part=PartFactory(numbers=[("generic", "62052RS")]), quantity=4, location="B")

    engine.part_request_match(part_request_id=world.request.pk)

    scores = {match.stock_item_id: match.score for match in Match.objects.filter(request=world.request)}
    assert scores[same.pk] > scores[twin.pk] > scores[substitute.pk]


def test_a_part_both_sharing_a_number_and_interchanged_counts_as_a_shared_number(world, substitute):
    interchange(world, substitute)
    services.part_update(
        part=substitute.part,
        numbers=[services.NumberSpec("KOYO", "6205-2RSCM"), services.NumberSpec("generic", "6205-2RS")],
        user=SYSTEM,
    )

    assert match_of(world.request, substitute).explanation["fit"] == "cross_reference"


def test_approving_rematches_the_open_requests_it_serves(world, substitute, django_capture_on_commit_callbacks):
    proposed = interchange(world, substitute, approve=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.interchange_approve(interchange=proposed, user=world.users["admin"])

    assert Match.objects.filter(request=world.request, stock_item=substitute).exists()


def test_withdrawing_an_approved_interchange_withdraws_its_proposals(
    world, substitute, django_capture_on_commit_callbacks
):
    approved = interchange(world, substitute)
    assert match_of(world.request, substitute) is not None

    with django_capture_on_commit_callbacks(execute=True):
        services.interchange_reject(interchange=approved, user=world.users["admin"])

    assert not Match.objects.filter(request=world.request, stock_item=substitute).exists()


def test_new_stock_of_a_substitute_finds_the_requests_for_the_part(world, django_capture_on_commit_callbacks):
    part = PartFactory(numbers=[("KOYO", "6205-2RSCM")])
    services.interchange_approve(
        interchange=services.interchange_propose(
            part=world.part, substitute=part, note="Probado en planta", user=world.users["owner"]
        ),
        user=SYSTEM,
    )

    with django_capture_on_commit_callbacks(execute=True):
        new_stock = stock_item(plant=world.shop, part=part, quantity=2)

    assert Match.objects.filter(request=world.request, stock_item=new_stock).exists()
