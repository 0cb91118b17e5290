import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exchange.models import Notification, PartRequest
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
