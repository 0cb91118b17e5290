"""One small exchange that the tests start from, seen from seven chairs.

The requesting plant (``owner_plant``) needs two bearings: its manager
(``owner``) posted the request, and a plain member (``member``) works beside
them. Another plant (``other_plant``, its member ``other``) holds the bearings
in stock, and the engine has proposed that stock (``match``). A machine shop
(``shop``) can turn the bearing's steel. An administrator who is no plant's
member (``admin``), one who is a member of the requesting plant
(``admin_member``), and anonymous complete the cast. Everything is written
through the services, as in real use; the tests then act as the people they
name. The Central Bank published its rate (``rate``, 40 bolívares per dollar)
a month ago, so quotes in bolívares convert.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from rest_framework.test import APIClient

from exchange import engine, rates
from exchange import services as exchange_services
from exchange.models import DeclineReason, ExchangeRate, Match, PartRequest
from inventory import services as inventory_services
from inventory.access import SYSTEM
from inventory.models import Capability, Material, Membership, Part, Plant, StockItem

from .factories import (
    MembershipFactory,
    PartFactory,
    PlantFactory,
    ShopFactory,
    UserFactory,
    capability,
    match_walk,
    stock_item,
)


def client_for(user) -> APIClient:
    """An API client authenticated as ``user``; anonymous for None."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@dataclass
class World:
    owner_plant: Plant
    other_plant: Plant
    shop: Plant
    users: dict
    material: Material
    part: Part
    owner_stock: StockItem
    other_stock: StockItem
    empty_stock: StockItem
    capability: Capability
    request: PartRequest
    closed_request: PartRequest
    match: Match
    owner_colleague_membership: Membership
    rate: ExchangeRate

    def client(self, role) -> APIClient:
        return client_for(self.users[role])

    def bring_to(self, status, *, match=None, quote=None) -> Match:
        """Walk ``match`` (the world's own by default) to ``status`` as its two plants and the admin would."""
        return match_walk(
            match or self.match,
            status,
            admin=self.users["admin"],
            source_user=self.users["other"],
            requester=self.users["owner"],
            quote=quote or {"price": Decimal("30"), "currency": "USD", "lead_time_days": 3},
        )

    def quote_and_approve(self):
        exchange_services.match_quote(
            match=self.match, user=self.users["other"], price=Decimal("30"), currency="USD", lead_time_days=3
        )
        exchange_services.match_approve(match=self.match, user=self.users["admin"])

    def decline_for_price(self, note="Precio muy alto"):
        """The world's match quoted and approved, then declined by the requester for its price."""
        self.quote_and_approve()
        exchange_services.match_decline(
            match=self.match, user=self.users["owner"], reason=DeclineReason.PRICE, note=note
        )

    def accept(self):
        self.quote_and_approve()
        exchange_services.match_accept(match=self.match, user=self.users["owner"])

    def receive_short(self):
        """The world's match accepted and shipped, and one unit fewer received than shipped."""
        self.accept()
        exchange_services.match_ship(match=self.match, user=self.users["other"], note="MRW 123")
        exchange_services.match_fulfil(match=self.match, user=self.users["owner"], quantity=self.match.quantity - 1)

    def new_request(self, quantity=1) -> PartRequest:
        """Another shortage of the world's part at the requesting plant."""
        return exchange_services.part_request_create(
            plant=self.owner_plant, user=self.users["owner"], part=self.part, quantity=quantity
        )

    def approved_offer(self, quantity=1) -> Match:
        """A new request and the other plant's quoted offer of ``quantity`` units of its stock, approved."""
        match = exchange_services.match_offer_create(
            part_request=self.new_request(quantity),
            user=self.users["other"],
            price=Decimal("25.00"),
            currency="USD",
            lead_time_days=3,
            quantity=quantity,
            stock_item=self.other_stock,
        )
        return exchange_services.match_approve(match=match, user=self.users["admin"])

    def accepted_offer(self, quantity=1) -> Match:
        return exchange_services.match_accept(match=self.approved_offer(quantity), user=self.users["owner"])


def build_world(*, units=3, quantity=2, import_price_usd=Decimal("40.00")) -> World:
    """The world above, the other plant holding ``units`` bearings and the request asking ``quantity``."""
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
    rate = rates.exchange_rate_save(
        exchange_rate=ExchangeRate(date=timezone.localdate() - timedelta(days=30), rate=Decimal("40")), user=SYSTEM
    )
    material = inventory_services.material_create(
        user=SYSTEM, name="AISI 1045", family="carbon_steel", designations=["C45", "1.0503"]
    )
    part = PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS"), ("FAG", "6205-2RSR")], material=material)
    request = exchange_services.part_request_create(
        plant=owner_plant, user=owner, part=part, quantity=quantity, import_price_usd=import_price_usd
    )
    other_stock = stock_item(plant=other_plant, part=part, quantity=units)
    closed_request = exchange_services.part_request_create(
        plant=other_plant, user=users["other"], part=part, quantity=1
    )
    exchange_services.part_request_cancel(part_request=closed_request, user=users["other"])
    # Where commits are real (transactional_db) the engine has run already; a second run changes nothing.
    engine.part_request_match(part_request_id=request.pk)
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
        match=Match.objects.get(request=request, stock_item=other_stock),
        owner_colleague_membership=colleague_membership,
        rate=rate,
    )


def ids(response) -> list[int]:
    """The sorted ids of an API list answer's rows."""
    return sorted(row["id"] for row in response.json()["results"])
