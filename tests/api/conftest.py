"""One small exchange seen from seven chairs.

Anonymous; the requesting plant's manager (``owner``) and a plain member of it
(``member``); the source plant (``other``); a machine shop; an administrator
who is no plant's member (``admin``); and an administrator who is a member of
the requesting plant (``admin_member``).
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from exchange import services as exchange_services
from exchange.models import Match, PartRequest
from inventory import services as inventory_services
from inventory.access import SYSTEM
from inventory.models import Membership
from tests.conftest import client_for
from tests.factories import (
    MembershipFactory,
    PartFactory,
    PlantFactory,
    ShopFactory,
    UserFactory,
    capability,
    stock_item,
)


@dataclass
class World:
    owner_plant: object
    other_plant: object
    shop: object
    users: dict
    material: object
    part: object
    owner_stock: object
    other_stock: object
    empty_stock: object
    capability: object
    request: object
    closed_request: object
    match: object
    owner_colleague_membership: object

    def client(self, role):
        return client_for(self.users[role])

    def quote_and_approve(self):
        exchange_services.match_quote(
            match=self.match, user=self.users["other"], price=Decimal("30"), currency="USD", lead_time_days=3
        )
        exchange_services.match_approve(match=self.match, user=self.users["admin"])

    def accept(self):
        self.quote_and_approve()
        exchange_services.match_accept(match=self.match, user=self.users["owner"])


@pytest.fixture
def world(db):
    owner_plant = PlantFactory(name="Maquinarias Barinas", state="Barinas", latitude=8.6, longitude=-70.2)
    other_plant = PlantFactory(name="Lácteos Los Andes", state="Mérida", latitude=8.5, longitude=-71.1)
    shop = ShopFactory(name="Taller Metalmecánico Guayana", state="Bolívar", latitude=8.3, longitude=-62.7)
    owner = MembershipFactory(plant=owner_plant, role=Membership.Role.MANAGER).user
    colleague_membership = MembershipFactory(plant=owner_plant)
    users = {
        "anonymous": None,
        "owner": owner,
        "member": colleague_membership.user,
        "other": MembershipFactory(plant=other_plant).user,
        "shop": MembershipFactory(plant=shop).user,
        "admin": UserFactory(username="admin", is_staff=True, is_superuser=True),
        "admin_member": MembershipFactory(
            plant=owner_plant, user=UserFactory(username="admin-member", is_staff=True, is_superuser=True)
        ).user,
    }
    material = inventory_services.material_create(
        user=SYSTEM, name="AISI 1045", family="carbon_steel", designations=["C45", "1.0503"]
    )
    part = PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS"), ("FAG", "6205-2RSR")], material=material)
    request = exchange_services.part_request_create(
        plant=owner_plant, user=owner, part=part, quantity=2, import_price_usd=Decimal("40.00")
    )
    other_stock = stock_item(plant=other_plant, part=part, quantity=3)
    closed_request = exchange_services.part_request_create(
        plant=other_plant, user=users["other"], part=part, quantity=1
    )
    exchange_services.part_request_cancel(part_request=closed_request, user=users["other"])
    # Where commits are real (transactional_db) the engine has already proposed this match.
    match, _ = Match.objects.update_or_create(
        request=request,
        stock_item=other_stock,
        defaults={"source": Match.Source.STOCK, "source_plant": other_plant, "score": 0.8, "quantity": 2},
    )
    return World(
        owner_plant=owner_plant,
        other_plant=other_plant,
        shop=shop,
        users=users,
        material=material,
        part=part,
        owner_stock=stock_item(plant=owner_plant, part=PartFactory(), quantity=5),
        other_stock=other_stock,
        empty_stock=stock_item(plant=owner_plant, part=part, quantity=0, location="B-2"),
        capability=capability(plant=shop, process="turning", materials=[material]),
        request=request,
        closed_request=PartRequest.objects.get(pk=closed_request.pk),
        match=match,
        owner_colleague_membership=colleague_membership,
    )


def ids(response):
    return sorted(row["id"] for row in response.json()["results"])
