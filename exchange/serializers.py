"""Shapes of the exchange API: they translate JSON to service arguments and back, nothing more."""

from decimal import Decimal

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
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

from .models import (
    RATE_DECIMAL_PLACES,
    RATE_MAX_DIGITS,
    Clearance,
    DeclineReason,
    ExchangeRate,
    Match,
    Notification,
    PartRequest,
    RequestPhoto,
)

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
    number_known = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "True when the number as written names a catalogue part, false when the catalogue does not know it "
            "(describe or measure the part), null when no number was written."
        ),
    )
    days_stopped = serializers.SerializerMethodField(
        help_text=_("Days since production stopped; null unless production is stopped since a date.")
    )
    downtime_cost_usd = serializers.SerializerMethodField(
        help_text=_("Days stopped × the cost of a day stopped, so far; null without both.")
    )
    photos = RequestPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = PartRequest
        fields = [
            "id",
            "plant",
            "part",
            "number",
            "number_known",
            "description",
            "quantity",
            "quantity_fulfilled",
            "quantity_outstanding",
            "needed_by",
            "criticality",
            "stopped_since",
            "downtime_usd_per_day",
            "days_stopped",
            "downtime_cost_usd",
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

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_stopped(self, part_request) -> int | None:
        return part_request.days_stopped(self._today)

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True))
    def get_downtime_cost_usd(self, part_request):
        cost = part_request.downtime_cost_usd(self._today)
        return None if cost is None else f"{cost:.2f}"

    @cached_property
    def _today(self):
        # One day for every row of a list: asked of the time zone once, not twice a row.
        return timezone.localdate()


class PartRequestUpdateSerializer(PartRequestSerializer):
    quantity = strict.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False)

    class Meta(PartRequestSerializer.Meta):
        read_only_fields = ["plant", "created_by"]


def match_label(name: str):
    return capfirst(Match._meta.get_field(name).verbose_name)


class QuoteSerializer(serializers.Serializer):
    price = strict.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_QUOTE_PRICE,
        label=match_label("quote_price"),
    )
    currency = serializers.ChoiceField(choices=Match.Currency.choices, label=match_label("quote_currency"))
    lead_time_days = strict.IntegerField(
        min_value=0, max_value=MAX_LEAD_TIME_DAYS, label=match_label("quote_lead_time_days")
    )


class QuoteShownSerializer(QuoteSerializer):
    rate = strict.DecimalField(
        max_digits=RATE_MAX_DIGITS,
        decimal_places=RATE_DECIMAL_PLACES,
        allow_null=True,
        help_text=_("Bolívares per dollar the quote was converted at; null for a quote in USD."),
    )
    price_usd = strict.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=_("Null for bolívares left unconverted.")
    )


class QuoteInputSerializer(QuoteSerializer):
    quantity = strict.IntegerField(
        min_value=1, max_value=MAX_QUANTITY, required=False, allow_null=True, label=match_label("quantity")
    )


class MatchSerializer(strict.ModelSerializer):
    # Blank until the source quotes.
    quote_currency = serializers.ChoiceField(choices=Match.Currency.choices, allow_blank=True, read_only=True)
    quote = serializers.SerializerMethodField()
    quantity_in_transit = strict.IntegerField(
        read_only=True,
        help_text=_(
            "Units shipped and neither received nor resolved: awaiting receipt while shipped, "
            "a discrepancy for an administrator once fulfilled or cancelled."
        ),
    )
    explanation = serializers.SerializerMethodField()
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices, allow_blank=True, read_only=True)
    usd_net = strict.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)

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
            "quantity_shipped",
            "quantity_received",
            "quantity_in_transit",
            "quantity_lost",
            "quantity_returned",
            "received_into_stock",
            "quote_rate",
            "quote_price_usd",
            "usd_avoided",
            "usd_domestic_cost",
            "usd_net",
            "days_gained",
            "reject_reason",
            "decline_reason",
            "decline_note",
            "ship_note",
            "created_at",
            "updated_at",
            "fulfilled_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "description": _("The facts of the ranking, and their summary in the language the request asked for."),
            "properties": {"summary": {"type": "string"}},
            "additionalProperties": True,
        }
    )
    def get_explanation(self, match):
        return {**(match.explanation or {}), "summary": match.summary}

    @cached_property
    def _quote_shown(self):
        # One for every row of a list: building a serializer's fields costs more than writing a quote.
        return QuoteShownSerializer()

    @extend_schema_field(QuoteShownSerializer(allow_null=True))
    def get_quote(self, match):
        if not match.is_quoted:
            return None
        return self._quote_shown.to_representation(
            {
                "price": match.quote_price,
                "currency": match.quote_currency,
                "lead_time_days": match.quote_lead_time_days,
                "rate": match.quote_rate,
                "price_usd": match.quote_price_usd,
            }
        )


class MatchOfferSerializer(QuoteInputSerializer):
    # Only open requests are visible to every plant; a closed one is unknown to an outsider.
    request = strict.PrimaryKeyRelatedField(
        queryset=PartRequest.objects.filter(status=PartRequest.Status.OPEN), label=match_label("request")
    )
    stock_item = strict.PrimaryKeyRelatedField(
        queryset=StockItem.objects.all(), required=False, allow_null=True, label=match_label("stock_item")
    )
    capability = strict.PrimaryKeyRelatedField(
        queryset=Capability.objects.all(), required=False, allow_null=True, label=match_label("capability")
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


class FulfilSerializer(serializers.Serializer):
    quantity = strict.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        required=False,
        allow_null=True,
        help_text=_("Units received; all the units sent when left out."),
    )
    into_stock = serializers.BooleanField(
        required=False, default=False, help_text=_("Enter the units into the requesting plant's store as spares.")
    )


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.ChoiceField(choices=Match.Resolution.choices)
    note = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False, default="")


class ClearanceSerializer(strict.ModelSerializer):
    class Meta:
        model = Clearance
        fields = [
            "id",
            "serial",
            "request",
            "status",
            "sources",
            "note",
            "asked_by",
            "asked_at",
            "granted_by",
            "granted_at",
            "valid_until",
            "digest",
        ]
        read_only_fields = fields


class DeclineSerializer(NoteSerializer):
    reason = serializers.ChoiceField(
        choices=DeclineReason.choices,
        allow_blank=True,
        required=False,
        default="",
        help_text=_("Required of the requester declining a quoted or approved source."),
    )


def usd_field():
    return strict.DecimalField(max_digits=16, decimal_places=2)


class UsdByKeySerializer(serializers.Serializer):
    key = serializers.CharField()
    usd_avoided = usd_field()
    usd_net = usd_field()


class UsdByMonthSerializer(serializers.Serializer):
    month = serializers.CharField()
    usd_avoided = usd_field()
    usd_net = usd_field()


class StatsSerializer(serializers.Serializer):
    usd_avoided_total = usd_field()
    usd_domestic_cost_total = usd_field()
    usd_net_total = usd_field()
    days_gained_average = serializers.FloatField(allow_null=True)
    requests_open = strict.IntegerField()
    requests_fulfilled = strict.IntegerField()
    requests_cleared = strict.IntegerField()
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


class ExchangeRateSerializer(strict.ModelSerializer):
    rate = strict.DecimalField(
        max_digits=RATE_MAX_DIGITS, decimal_places=RATE_DECIMAL_PLACES, min_value=Decimal("0.00000001")
    )

    class Meta:
        model = ExchangeRate
        fields = ["id", "date", "currency", "rate", "source", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]
        # A second rate for a day is refused by the service, naming `date`.
        validators = []
