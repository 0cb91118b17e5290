import pytest

from exchange import engine
from exchange import services as exchange_services
from exchange.models import Criticality, Match
from inventory import services as inventory_services
from inventory.access import SYSTEM
from inventory.models import Material
from tests.factories import MembershipFactory, PartFactory, PlantFactory, ShopFactory, capability, stock_item


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def proposed_match(*, criticality=Criticality.DEGRADED, source_plant=None, requester=None, quantity=2, part=None):
    """A request and the engine's stock proposal for it, made through the services as in real use."""
    part = part or PartFactory()
    source_plant = source_plant or ShopFactory(state="Bolívar", latitude=8.3, longitude=-62.7)
    if not source_plant.memberships.exists():
        MembershipFactory(plant=source_plant)
    stock_item(plant=source_plant, part=part, quantity=10)
    requester = requester or PlantFactory()
    member = requester.memberships.first() or MembershipFactory(plant=requester)
    part_request = exchange_services.part_request_create(
        plant=requester, user=member.user, part=part, quantity=quantity, criticality=criticality
    )
    engine.part_request_match(part_request_id=part_request.pk)
    return Match.objects.get(request=part_request, source_plant=source_plant)


def fulfilled_match(*, admin_user, **kwargs):
    match = proposed_match(**kwargs)
    exchange_services.match_approve(match=match, user=admin_user)
    source_member = match.source_plant.memberships.first().user
    exchange_services.match_quote(match=match, user=source_member, price="100", currency="VES", lead_time_days=3)
    requester_member = match.request.plant.memberships.first().user
    exchange_services.match_accept(match=match, user=requester_member)
    return exchange_services.match_fulfil(match=match, user=requester_member)


@pytest.fixture
def one_of_everything(admin_user):
    """At least one row of every registered model, so each change form has something to show."""
    material = inventory_services.material_create(
        user=SYSTEM, name="AISI 1045", family=Material.Family.CARBON_STEEL, designations=["AISI 1045", "C45"]
    )
    capability(process="turning", materials=[material])
    match = proposed_match(criticality=Criticality.PRODUCTION_STOPPED)
    exchange_services.match_approve(match=match, user=admin_user)
    return match
