import io
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exchange import engine
from exchange import services as exchange_services
from exchange.models import Criticality, Match, Notification, PartRequest
from inventory import access
from inventory import services as inventory_services
from inventory.models import Capability, Material, Membership, Part, PartNumber, Plant, StockItem


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def save_password(user, create, extracted, **kwargs):
        if create:
            user.save()


class PlantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plant

    name = factory.Sequence(lambda n: f"Plant {n}")
    kind = Plant.Kind.PLANT
    ownership = Plant.Ownership.STATE
    sector = "food"
    state = "Carabobo"
    city = "Valencia"
    latitude = 10.16
    longitude = -68.0


class ShopFactory(PlantFactory):
    name = factory.Sequence(lambda n: f"Shop {n}")
    kind = Plant.Kind.MACHINE_SHOP
    ownership = Plant.Ownership.PRIVATE
    sector = "machining"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    plant = factory.SubFactory(PlantFactory)
    role = Membership.Role.MEMBER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Written directly, as fixtures are, so the user object must drop the memberships it may have read already.
        membership = super()._create(model_class, *args, **kwargs)
        access.forget_plant_roles(membership.user)
        return membership


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    name = factory.Sequence(lambda n: f"Steel {n}")
    family = Material.Family.CARBON_STEEL


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Part {n}")
    category = "bearing"
    import_price_usd = "40.00"

    @factory.post_generation
    def numbers(part, create, extracted, **kwargs):
        if create:
            for brand, number in extracted or [("generic", f"P-{part.pk}")]:
                PartNumber.objects.create(part=part, brand=brand, number=number)


# The test world is set up as the system would load it; the tests then act as the people they name.


def stock_item(*, plant=None, part=None, quantity=5, user=access.SYSTEM, **fields) -> StockItem:
    """A stock item whose quantity came in through the ledger, as in real use."""
    return inventory_services.stock_item_create(
        plant=plant or PlantFactory(), part=part or PartFactory(), quantity=quantity, user=user, **fields
    )


def capability(*, plant=None, process="turning", materials=(), user=access.SYSTEM, **fields) -> Capability:
    return inventory_services.capability_create(
        plant=plant or ShopFactory(), process=process, materials=materials, user=user, **fields
    )


def member_of(plant) -> object:
    """The plant's first member, made one if it has none: someone to act for it."""
    membership = plant.memberships.order_by("pk").first() or MembershipFactory(plant=plant)
    return membership.user


class PartRequestFactory(factory.django.DjangoModelFactory):
    """A shortage posted through ``part_request_create`` by a member of its plant."""

    class Meta:
        model = PartRequest

    plant = factory.SubFactory(PlantFactory)
    part = factory.SubFactory(PartFactory)
    quantity = 2
    created_by = factory.LazyAttribute(lambda part_request: member_of(part_request.plant))

    @classmethod
    def _create(cls, model_class, *, plant, created_by, **fields):
        return exchange_services.part_request_create(plant=plant, user=created_by, **fields)


# The actions that lead a match from ``proposed`` to each status, as the contract gives them to each side.
STEPS_TO = {
    Match.Status.PROPOSED: [],
    Match.Status.APPROVED: ["approve"],
    Match.Status.REJECTED: ["reject"],
    Match.Status.ACCEPTED: ["approve", "quote", "accept"],
    Match.Status.SHIPPED: ["approve", "quote", "accept", "ship"],
    Match.Status.FULFILLED: ["approve", "quote", "accept", "fulfil"],
    Match.Status.DECLINED: ["approve", "decline"],
    Match.Status.CANCELLED: ["approve", "quote", "accept", "cancel"],
}


def match_walk(match, status, *, admin=None, source_user=None, requester=None, quote=None) -> Match:
    """Take a proposed match to ``status`` through exchange.services, each step by the party allowed to take it."""
    source_user = source_user or member_of(match.source_plant)
    requester = requester or member_of(match.request.plant)
    quote = quote or {"price": Decimal("100"), "currency": "USD", "lead_time_days": 3}
    steps = {
        "approve": lambda: exchange_services.match_approve(
            match=match, user=admin or UserFactory(is_staff=True, is_superuser=True)
        ),
        "reject": lambda: exchange_services.match_reject(
            match=match, user=admin or UserFactory(is_staff=True, is_superuser=True), reason="Wrong part"
        ),
        "quote": lambda: exchange_services.match_quote(match=match, user=source_user, **quote),
        "accept": lambda: exchange_services.match_accept(match=match, user=requester),
        "ship": lambda: exchange_services.match_ship(match=match, user=source_user, note="MRW 123"),
        "fulfil": lambda: exchange_services.match_fulfil(match=match, user=requester),
        "decline": lambda: exchange_services.match_decline(match=match, user=requester, reason="price"),
        "cancel": lambda: exchange_services.match_cancel(match=match, user=requester),
    }
    for step in STEPS_TO[status]:
        steps[step]()
    match.refresh_from_db()
    return match


class MatchFactory(factory.django.DjangoModelFactory):
    """The engine's proposal of one source for a request; ``status`` walks it on through the services.

    Stock by default: ten units of the requested part at ``source_plant``. The ``fabrication`` trait gives
    the request a turning job and ``source_plant`` a turning capability instead.
    """

    class Meta:
        model = Match
        skip_postgeneration_save = True

    class Params:
        fabrication = factory.Trait(
            source=Match.Source.FABRICATION,
            request=factory.SubFactory(PartRequestFactory, processes=["turning"]),
            stock_item=None,
            capability=factory.LazyAttribute(lambda match: capability(plant=match.source_plant, process="turning")),
        )

    request = factory.SubFactory(PartRequestFactory)
    source = Match.Source.STOCK
    source_plant = factory.SubFactory(ShopFactory, state="Bolívar", latitude=8.3, longitude=-62.7)
    stock_item = factory.LazyAttribute(
        lambda match: stock_item(plant=match.source_plant, part=match.request.part, quantity=10)
    )
    capability = None

    @classmethod
    def _create(cls, model_class, *, request, source_plant, stock_item, capability, **ignored):
        member_of(source_plant)
        engine.part_request_match(part_request_id=request.pk)
        named = {"stock_item": stock_item} if stock_item is not None else {"capability": capability}
        return Match.objects.get(request=request, **named)

    @factory.post_generation
    def status(match, create, extracted, **kwargs):
        if create and extracted:
            match_walk(match, extracted, **kwargs)


def image_upload(*, image_format="JPEG", size=(64, 48), name=None, exif=None, mode="RGB") -> SimpleUploadedFile:
    """An uploaded image file as a phone would send it; ``exif`` an Image.Exif to embed."""
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new(mode, size, (200, 80, 40) if mode == "RGB" else (200, 80, 40, 128)).save(buffer, image_format, **options)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[image_format]
    return SimpleUploadedFile(name or f"photo.{extension}", buffer.getvalue(), content_type=content_type)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    plant = factory.SubFactory(PlantFactory)
    kind = Notification.Kind.EXPIRED
    request = factory.LazyAttribute(
        lambda notification: PartRequest.objects.create(plant=notification.plant, description="Bomba", quantity=1)
    )
    event_key = factory.Sequence(lambda n: f"test:{n}")


class Urgency(NamedTuple):
    """One kind of urgency a request can have, and where SPEC "Urgency" puts it: by ``rank``, then by
    ``weight``, the highest first (the cost so far, or the days stopped; -1 unless stopped since a date)."""

    criticality: str
    stopped_since: object
    downtime_usd_per_day: Decimal | None
    rank: int
    weight: Decimal | int


def every_urgency(today) -> list[Urgency]:
    """Each criticality, with and without a stop date and a day's cost, least urgent first."""
    urgencies = []
    for criticality in reversed(Criticality.values):
        for stopped_days_ago, cost_per_day in ((None, None), (2, None), (9, None), (2, Decimal(100)), (3, Decimal(5))):
            stopped = criticality == Criticality.PRODUCTION_STOPPED and stopped_days_ago is not None
            urgencies.append(
                Urgency(
                    criticality,
                    None if stopped_days_ago is None else today - timedelta(stopped_days_ago),
                    cost_per_day,
                    Criticality.values.index(criticality),
                    stopped_days_ago * (cost_per_day or 1) if stopped else -1,
                )
            )
    return urgencies
