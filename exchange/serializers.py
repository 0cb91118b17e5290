"""Shapes of the exchange API: they translate JSON to service arguments and back, nothing more."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config import fields as strict
from inventory.models import Capability, StockItem
from inventory.serializers import (
    MAX_LEAD_TIME_DAYS,
    MAX_QUANTITY,
    MAX_TEXT,
    envelope_field,
    it_grade_field,
    price_usd_field,
    processes_field,
)

from .models import Match, Notification, PartRequest, RequestPhoto

MAX_QUOTE_PRICE = Decimal("999999999999.99")


class RequestPhotoSerializer(strict.ModelSerializer):
    class Meta:
        model = RequestPhoto
        fields = ["id", "image", "thumbnail", "width", "height"]
        read_only_fields = fields


class PartRequestSerializer(strict.ModelSerializer):
    number = serializers.CharField(max_length=120, allow_blank=True, required=False)
    description = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    quantity = strict.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    import_price_usd = price_usd_field()
    downtime_usd_per_day = price_usd_field()
    import_lead_time_days = strict.IntegerField(
        min_value=0, max_value=MAX_LEAD_TIME_DAYS, required=False, allow_null=True
    )
    processes = processes_field()
    diameter_mm = envelope_field()
    length_mm = envelope_field()
    weight_kg = envelope_field()
    it_grade = it_grade_field()
    quantity_outstanding = strict.IntegerField(read_only=True)
    photos = RequestPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = PartRequest
        fields = [
            "id",
            "plant",
            "part",
            "number",
            "description",
            "quantity",
            "quantity_fulfilled",
            "quantity_outstanding",
            "needed_by",
            "criticality",
            "stopped_since",
            "downtime_usd_per_day",
            "import_price_usd",
            "import_lead_time_days",
            "material",
            "processes",
            "diameter_mm",
            "length_mm",
            "weight_kg",
            "it_grade",
            "status",
            "created_by",
            "created_at",
            "updated_at",
            "matched_at",
            "photos",
        ]
        read_only_fields = ["created_by"]


class PartRequestUpdateSerializer(PartRequestSerializer):
    quantity = strict.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False)

    class Meta(PartRequestSerializer.Meta):
        read_only_fields = ["plant", "created_by"]


class QuoteSerializer(serializers.Serializer):
    price = strict.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"), max_value=MAX_QUOTE_PRICE)
    currency = serializers.ChoiceField(choices=Match.Currency.choices)
    lead_time_days = strict.IntegerField(min_value=0, max_value=MAX_LEAD_TIME_DAYS)


class QuoteInputSerializer(QuoteSerializer):
    quantity = strict.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False, allow_null=True)


class MatchSerializer(strict.ModelSerializer):
    # Blank until the source quotes.
    quote_currency = serializers.ChoiceField(choices=Match.Currency.choices, allow_blank=True, read_only=True)
    quote = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = [
            "id",
            "request",
            "source",
            "stock_item",
            "capability",
            "source_plant",
            "origin",
            "score",
            "explanation",
            "distance_km",
            "status",
            "quantity",
            "quote_price",
            "quote_currency",
            "quote_lead_time_days",
            "quoted_at",
            "quote",
            "usd_avoided",
            "reject_reason",
            "ship_note",
            "created_at",
            "updated_at",
            "fulfilled_at",
        ]
        read_only_fields = fields

    @extend_schema_field(QuoteSerializer(allow_null=True))
    def get_quote(self, match):
        if not match.is_quoted:
            return None
        return QuoteSerializer(
            {"price": match.quote_price, "currency": match.quote_currency, "lead_time_days": match.quote_lead_time_days}
        ).data


class MatchOfferSerializer(QuoteInputSerializer):
    # Only open requests are visible to every plant; a closed one is unknown to an outsider.
    request = strict.PrimaryKeyRelatedField(queryset=PartRequest.objects.filter(status=PartRequest.Status.OPEN))
    stock_item = strict.PrimaryKeyRelatedField(queryset=StockItem.objects.all(), required=False, allow_null=True)
    capability = strict.PrimaryKeyRelatedField(queryset=Capability.objects.all(), required=False, allow_null=True)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False, default="")


def usd_field():
    return strict.DecimalField(max_digits=16, decimal_places=2)


class UsdByKeySerializer(serializers.Serializer):
    key = serializers.CharField()
    usd_avoided = usd_field()


class UsdByMonthSerializer(serializers.Serializer):
    month = serializers.CharField()
    usd_avoided = usd_field()


class StatsSerializer(serializers.Serializer):
    usd_avoided_total = usd_field()
    requests_open = strict.IntegerField()
    requests_fulfilled = strict.IntegerField()
    matches_by_status = serializers.DictField(child=strict.IntegerField())
    usd_avoided_by_state = UsdByKeySerializer(many=True)
    usd_avoided_by_sector = UsdByKeySerializer(many=True)
    usd_avoided_by_month = UsdByMonthSerializer(many=True)
    domestic_spend_by_currency = serializers.DictField(child=usd_field())
    computed_at = serializers.DateTimeField(
        help_text=_("When these figures were computed: they are shared for a few seconds (FIGURES_CACHE_SECONDS).")
    )


class NotificationSerializer(strict.ModelSerializer):
    text = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "plant", "request", "match", "text", "read_at", "at"]
        read_only_fields = fields


class NotificationsReadAllSerializer(serializers.Serializer):
    plant = strict.IntegerField(min_value=1, required=False, help_text=_("Only this plant's notifications."))
