from decimal import Decimal

from exchange import services as exchange_services
from tests.factories import MembershipFactory, PartFactory, PlantFactory, ShopFactory, UserFactory, stock_item


class World:
    """Two plants, one holding a scarce stock item the other needs, and the people who act for them."""

    def __init__(self, *, units):
        self.admin = UserFactory(is_staff=True)
        self.source_plant = ShopFactory(latitude=8.3, longitude=-62.7)
        self.requesting_plant = PlantFactory()
        self.source_member = MembershipFactory(plant=self.source_plant).user
        self.requester = MembershipFactory(plant=self.requesting_plant).user
        self.part = PartFactory(import_price_usd=Decimal("40.00"))
        self.stock = stock_item(plant=self.source_plant, part=self.part, quantity=units)

    def request(self, quantity=1):
        return exchange_services.part_request_create(
            plant=self.requesting_plant, user=self.requester, part=self.part, quantity=quantity
        )

    def approved_offer(self, quantity=1):
        """A new request and an approved, quoted offer of ``quantity`` units from the scarce stock item."""
        match = exchange_services.match_offer_create(
            part_request=self.request(quantity),
            user=self.source_member,
            price=Decimal("25.00"),
            currency="USD",
            lead_time_days=3,
            quantity=quantity,
            stock_item=self.stock,
        )
        return exchange_services.match_approve(match=match, user=self.admin)

    def accepted_offer(self, quantity=1):
        return exchange_services.match_accept(match=self.approved_offer(quantity), user=self.requester)
