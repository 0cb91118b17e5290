"""Shapes of the inventory API: they translate JSON to service arguments and back, nothing more."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from config import fields as strict

from .limits import (
    ENVELOPE_DECIMAL_PLACES,
    MAX_ENVELOPE,
    MAX_IT_GRADE,
    MAX_LEAD_TIME_DAYS,
    MAX_LIST,
    MAX_PRICE_USD,
    MAX_QUANTITY,
    MAX_TEXT,
    MIN_ENVELOPE,
    MIN_IT_GRADE,
)
from .models import (
    Capability,
    Interchange,
    Material,
    MaterialDesignation,
    Membership,
    Part,
    Plant,
    StockItem,
    StockMovement,
)
from .processes import Process


def envelope_field(**kwargs):
    return strict.DecimalField(
        max_digits=10,
        decimal_places=ENVELOPE_DECIMAL_PLACES,
        min_value=MIN_ENVELOPE,
        max_value=MAX_ENVELOPE,
        required=False,
        allow_null=True,
        **kwargs,
    )


def it_grade_field():
    return strict.IntegerField(min_value=MIN_IT_GRADE, max_value=MAX_IT_GRADE, required=False, allow_null=True)


def price_usd_field():
    return strict.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_PRICE_USD,
        required=False,
        allow_null=True,
    )


def processes_field():
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Process.choices), max_length=len(Process.choices), required=False
    )


class PlantSerializer(strict.ModelSerializer):
    latitude = strict.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = strict.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)

    class Meta:
        model = Plant
        fields = ["id", "name", "kind", "ownership", "sector", "state", "city", "latitude", "longitude", "created_at"]


class MembershipSerializer(strict.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=get_user_model().objects.all())

    class Meta:
        model = Membership
        fields = ["id", "user", "plant", "role", "created_at"]
        # The service updates the role of an existing membership instead of refusing a duplicate.
        validators = []


class DesignationsField(serializers.ListField):
    child = serializers.CharField(max_length=100)

    def to_representation(self, designations):
        return [designation.designation for designation in designations.all()]


class MaterialSerializer(strict.ModelSerializer):
    family = serializers.ChoiceField(choices=Material.Family.choices, default=Material.Family.OTHER)
    designations = DesignationsField(
        max_length=MAX_LIST, required=False, label=capfirst(MaterialDesignation._meta.verbose_name_plural)
    )

    class Meta:
        model = Material
        fields = ["id", "name", "family", "note", "designations"]


class ProcessSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PartNumberSerializer(serializers.Serializer):
    brand = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    number = serializers.CharField(max_length=100)

    def validate(self, attrs):
        # In a PATCH, DRF skips the missing required fields of nested entries too: a number still needs its number.
        if "number" not in attrs:
            raise serializers.ValidationError({"number": [self.fields["number"].error_messages["required"]]})
        return {"brand": "", **attrs}


# Named apart from the exchange's PartRequest, which the schema's request-body names would clash with.
@extend_schema_serializer(component_name="CataloguePart")
class PartSerializer(strict.ModelSerializer):
    numbers = PartNumberSerializer(
        many=True,
        required=False,
        max_length=MAX_LIST,
        help_text=_(
            "Every brand's number for the part. In a PATCH this list replaces the whole list: send every number "
            "the part keeps, a number left out is removed; leave the field out to keep the numbers as they are."
        ),
    )
    description = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    processes = processes_field()
    diameter_mm = envelope_field()
    length_mm = envelope_field()
    weight_kg = envelope_field()
    it_grade = it_grade_field()
    import_price_usd = price_usd_field()

    class Meta:
        model = Part
        fields = [
            "id",
            "name",
            "category",
            "description",
            "numbers",
            "material",
            "processes",
            "diameter_mm",
            "length_mm",
            "weight_kg",
            "it_grade",
            "import_price_usd",
            "created_at",
        ]


class StockItemSerializer(strict.ModelSerializer):
    quantity = strict.IntegerField(
        min_value=0,
        max_value=MAX_QUANTITY,
        required=False,
        help_text=_("Counted units; the ledger records the change."),
    )
    quantity_available = strict.IntegerField(read_only=True)

    class Meta:
        model = StockItem
        fields = [
            "id",
            "plant",
            "part",
            "quantity",
            "reserved",
            "quantity_available",
            "condition",
            "location",
            "exchangeable",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reserved"]
        # Uniqueness is checked by the service's full_clean, in the same transaction as the save.
        validators = []


class StockMovementSerializer(strict.ModelSerializer):
    class Meta:
        model = StockMovement
        fields = ["id", "stock_item", "delta", "reason", "match", "user", "note", "at"]

    def to_representation(self, movement):
        data = super().to_representation(movement)
        if movement.match is not None and not self.context.get("reveals_matches", False):
            # The note and the user name the other side of the match: the requesting plant, its request.
            data.update(match=None, user=None, note="")
        return data


class CapabilitySerializer(strict.ModelSerializer):
    materials = strict.PrimaryKeyRelatedField(many=True, queryset=Material.objects.all(), required=False)
    max_diameter_mm = envelope_field()
    max_length_mm = envelope_field()
    max_weight_kg = envelope_field()
    best_it_grade = it_grade_field()
    lead_time_days = strict.IntegerField(min_value=0, max_value=MAX_LEAD_TIME_DAYS, required=False)
    notes = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)

    class Meta:
        model = Capability
        fields = [
            "id",
            "plant",
            "process",
            "materials",
            "max_diameter_mm",
            "max_length_mm",
            "max_weight_kg",
            "best_it_grade",
            "lead_time_days",
            "notes",
            "created_at",
        ]
        validators = []

    def validate_materials(self, materials):
        if len(materials) > MAX_LIST:
            raise serializers.ValidationError(_("List at most %(count)d materials.") % {"count": MAX_LIST})
        return materials


class CapabilityUpdateSerializer(CapabilitySerializer):
    class Meta(CapabilitySerializer.Meta):
        read_only_fields = ["plant"]


class InterchangeSerializer(strict.ModelSerializer):
    part = strict.PrimaryKeyRelatedField(queryset=Part.objects.all(), help_text=_("The part that is needed."))
    substitute = strict.PrimaryKeyRelatedField(
        queryset=Part.objects.all(), help_text=_("The part that can be fitted in its place.")
    )
    note = serializers.CharField(max_length=300)

    class Meta:
        model = Interchange
        fields = [
            "id",
            "part",
            "substitute",
            "two_way",
            "note",
            "status",
            "created_by",
            "approved_by",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_by", "approved_by", "decided_at"]
        # One per pair is checked by the service, whichever side each part is on.
        validators = []
