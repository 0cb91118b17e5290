from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from inventory.choices import ChoiceLabels
from inventory.constraints import ChecksInOneQuery
from inventory.models import (
    IT_GRADE_VALIDATORS,
    Capability,
    Material,
    Part,
    Plant,
    StockItem,
    envelope_field,
    it_grade_in_range,
    positive_or_null,
)

from .explanations import explanation_summary


def not_in_the_future(day):
    if day > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future")


class Criticality(models.TextChoices):
    PRODUCTION_STOPPED = "production_stopped", _("Production stopped")
    DEGRADED = "degraded", _("Degraded")
    PREVENTIVE = "preventive", _("Preventive")


class PartRequest(ChoiceLabels, ChecksInOneQuery, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        CLEARED = "cleared", _("Cleared for import")

    plant = models.ForeignKey(
        Plant, on_delete=models.PROTECT, related_name="part_requests", verbose_name=_("requesting plant")
    )
    part = models.ForeignKey(
        Part, on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name=_("part")
    )
    number = models.CharField(_("number as written"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    quantity_fulfilled = models.PositiveIntegerField(_("quantity fulfilled"), default=0, editable=False)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    criticality = models.CharField(
        _("criticality"), max_length=30, choices=Criticality.choices, default=Criticality.DEGRADED
    )
    import_price_usd = models.DecimalField(
        _("import unit price (USD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    import_lead_time_days = models.PositiveIntegerField(_("import lead time (days)"), null=True, blank=True)
    # Urgency among stopped lines: days since this date, weighed by what a day stopped costs.
    stopped_since = models.DateField(
        _("production stopped since"), null=True, blank=True, validators=[not_in_the_future]
    )
    downtime_usd_per_day = models.DecimalField(
        _("cost of a day stopped (USD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Fabrication spec: taken from the part where the request does not state it.
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("material")
    )
    processes = models.JSONField(_("processes"), default=list, blank=True)
    diameter_mm = envelope_field(_("diameter (mm)"))
    length_mm = envelope_field(_("length (mm)"))
    weight_kg = envelope_field(_("weight (kg)"))
    it_grade = models.PositiveSmallIntegerField(_("IT grade"), null=True, blank=True, validators=IT_GRADE_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Who did what stays known: a user who acted is deactivated, never deleted.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    matched_at = models.DateTimeField(_("last matched at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("part request")
        verbose_name_plural = _("part requests")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="request_quantity_positive"),
            models.CheckConstraint(
                condition=Q(quantity_fulfilled__lte=F("quantity")), name="request_fulfilled_within_quantity"
            ),
            models.CheckConstraint(condition=it_grade_in_range("it_grade"), name="request_it_grade_range"),
            models.CheckConstraint(condition=positive_or_null("diameter_mm"), name="request_diameter_positive"),
            models.CheckConstraint(condition=positive_or_null("length_mm"), name="request_length_positive"),
            models.CheckConstraint(condition=positive_or_null("weight_kg"), name="request_weight_positive"),
            models.CheckConstraint(
                condition=Q(downtime_usd_per_day__isnull=True) | Q(downtime_usd_per_day__gte=0),
                name="request_downtime_not_negative",
            ),
        ]
        indexes = [
            # Reverse matching looks up open requests by part and by material.
            models.Index(fields=["status", "part"], name="request_status_part_idx"),
            models.Index(fields=["status", "material"], name="request_status_material_idx"),
            models.Index(fields=["status", "needed_by"], name="request_status_needed_by_idx"),
            # A workshop's requests are read by the list of processes they name, and their material
            # (engine.reads.requests_a_workshop_can_make); the lists themselves by walking it.
            models.Index(
                fields=["processes", "material"],
                condition=Q(status="open"),
                name="request_open_processes_idx",
            ),
            # The review queue reads the requests with a stop date in the queue's order (selectors.review_queue_slice).
            models.Index(
                fields=["criticality", "stopped_since"],
                condition=Q(stopped_since__isnull=False),
                name="request_stopped_since_idx",
            ),
            # The board reads the open requests of each criticality oldest first (selectors.open_requests_slice),
            # and the open lines stopped since a date, the one group it sorts whole, apart from closed ones.
            models.Index(
                fields=["criticality", "created_at", "id"],
                condition=Q(status="open"),
                name="request_open_urgency_idx",
            ),
            models.Index(
                fields=["criticality", "stopped_since"],
                condition=Q(status="open", stopped_since__isnull=False),
                name="request_open_stopped_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.part_label} x{self.quantity} ({self.plant})"

    @property
    def part_label(self) -> str:
        """The part as the request names it: the catalogue part, else the number as written, else the description."""
        return self.part.name if self.part_id else (self.number or self.description[:60])

    @property
    def number_known(self) -> bool | None:
        """Whether the catalogue knew the number as written (the request then names its part); None without one."""
        return self.part_id is not None if self.number else None

    @property
    def quantity_outstanding(self):
        return self.quantity - self.quantity_fulfilled

    def days_stopped(self, today) -> int | None:
        """Days since production stopped for want of the part; None unless it is stopped."""
        if self.criticality != Criticality.PRODUCTION_STOPPED or self.stopped_since is None:
            return None
        return max((today - self.stopped_since).days, 0)

    def downtime_cost_usd(self, today):
        days = self.days_stopped(today)
        if days is None or self.downtime_usd_per_day is None:
            return None
        return self.downtime_usd_per_day * days


class DeclineReason(models.TextChoices):
    PRICE = "price", _("Price")
    LEAD_TIME = "lead_time", _("Lead time")
    QUALITY = "quality", _("Quality")
    DISTANCE = "distance", _("Distance")
    OTHER = "other", _("Other")


# Bolívares per dollar: the Central Bank publishes eight decimals.
RATE_MAX_DIGITS = 20
RATE_DECIMAL_PLACES = 8


class ExchangeRate(ChoiceLabels, models.Model):
    """The bolívares one dollar cost on a day: one rate per day and currency, so that a day has one answer."""

    class Currency(models.TextChoices):
        VES = "VES", _("Bolívares (VES)")

    class Source(models.TextChoices):
        BCV = "bcv", _("Central Bank of Venezuela (BCV)")
        MANUAL = "manual", _("Entered by hand")

    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.VES)
    rate = models.DecimalField(
        _("rate (per USD)"),
        max_digits=RATE_MAX_DIGITS,
        decimal_places=RATE_DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.BCV)
    # Null for rates loaded by the operator's command (access.SYSTEM); a person who entered one is kept.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.rate} {self.currency}/USD"


class Match(ChoiceLabels, models.Model):
    class Source(models.TextChoices):
        STOCK = "stock", _("Stock")
        FABRICATION = "fabrication", _("Fabrication or repair")

    class Origin(models.TextChoices):
        ENGINE = "engine", _("Engine")
        OFFER = "offer", _("Offer")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ACCEPTED = "accepted", _("Accepted")
        SHIPPED = "shipped", _("Shipped")
        FULFILLED = "fulfilled", _("Fulfilled")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    class Currency(models.TextChoices):
        VES = "VES", _("Bolívares (VES)")
        USD = "USD", _("US dollars (USD)")

    class Resolution(models.TextChoices):
        LOST = "lost", _("Lost in transit")
        RETURNED = "returned", _("Returned to the source")

    request = models.ForeignKey(
        PartRequest, on_delete=models.CASCADE, related_name="matches", verbose_name=_("request")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    stock_item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("stock item")
    )
    capability = models.ForeignKey(
        Capability, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("capability")
    )
    # Indexed by match_source_plant_status_idx, which leads with it.
    source_plant = models.ForeignKey(
        Plant, on_delete=models.PROTECT, related_name="source_matches", verbose_name=_("source plant"), db_index=False
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.ENGINE)
    score = models.FloatField(
        _("score"), default=0, validators=[MinValueValidator(0), MaxValueValidator(1)], db_index=True
    )
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    # Indexed by match_status_created_idx, which leads with it.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, editable=False
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    quote_price = models.DecimalField(
        _("quoted price"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    quote_currency = models.CharField(_("quote currency"), max_length=3, choices=Currency.choices, blank=True)
    quote_lead_time_days = models.PositiveIntegerField(_("quoted lead time (days)"), null=True, blank=True)
    quoted_at = models.DateTimeField(_("quoted at"), null=True, blank=True)
    # A quote in bolívares keeps the rate it was converted at: newer rates change no figure already given.
    quote_rate = models.DecimalField(
        _("exchange rate used (VES per USD)"),
        max_digits=RATE_MAX_DIGITS,
        decimal_places=RATE_DECIMAL_PLACES,
        null=True,
        blank=True,
        editable=False,
    )
    quote_price_usd = models.DecimalField(
        _("quoted price (USD)"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    usd_avoided = models.DecimalField(
        _("USD avoided"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    # Units that left the source: at shipping, or at receipt for a match received without being shipped.
    quantity_shipped = models.PositiveIntegerField(_("units shipped"), default=0, editable=False)
    quantity_received = models.PositiveIntegerField(_("units received"), default=0, editable=False)
    received_into_stock = models.BooleanField(_("received into stock"), default=False, editable=False)
    # Units shipped and never received, as an administrator resolved them.
    quantity_lost = models.PositiveIntegerField(_("units lost in transit"), default=0, editable=False)
    quantity_returned = models.PositiveIntegerField(_("units returned to the source"), default=0, editable=False)
    # The domestic side of the saving, in dollars, for the units received; null when the quote has no USD price.
    usd_domestic_cost = models.DecimalField(
        _("domestic cost (USD)"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    days_gained = models.IntegerField(_("days gained"), null=True, blank=True, editable=False)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True, editable=False
    )
    decline_note = models.TextField(_("note on declining"), blank=True, editable=False)
    ship_note = models.TextField(_("shipping note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="match_quantity_positive"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="match_score_range"),
            models.CheckConstraint(
                condition=(Q(source="stock") & Q(stock_item__isnull=False) & Q(capability__isnull=True))
                | (Q(source="fabrication") & Q(capability__isnull=False) & Q(stock_item__isnull=True)),
                name="match_source_consistent",
            ),
            # One match per request and source: a stock item, or a plant's workshop.
            models.UniqueConstraint(
                fields=["request", "stock_item"], condition=Q(source="stock"), name="match_unique_request_stock_item"
            ),
            models.UniqueConstraint(
                fields=["request", "source_plant"],
                condition=Q(source="fabrication"),
                name="match_unique_request_fabricator",
            ),
            models.CheckConstraint(
                condition=Q(quote_price__isnull=True) | Q(quote_price__gte=0), name="match_quote_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quantity_shipped__lte=F("quantity")), name="match_shipped_at_most_quantity"
            ),
            models.CheckConstraint(
                condition=Q(quantity_shipped__gte=F("quantity_received") + F("quantity_lost") + F("quantity_returned")),
                name="match_receipt_within_shipped",
            ),
            models.CheckConstraint(
                condition=Q(quote_rate__isnull=True) | Q(quote_rate__gt=0), name="match_rate_positive"
            ),
            models.CheckConstraint(
                condition=Q(quote_price_usd__isnull=True) | Q(quote_price_usd__gte=0),
                name="match_quote_usd_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="match_status_created_idx"),
            models.Index(fields=["source_plant", "status"], name="match_source_plant_status_idx"),
            # The review queue in its order within one urgency group: only the proposals, which it lists.
            models.Index(
                fields=["created_at", "-score", "-id"],
                condition=Q(status="proposed"),
                name="match_proposed_queue_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_source_display()} {self.source_plant} → #{self.request_id}"

    @property
    def is_quoted(self):
        return self.quote_price is not None and bool(self.quote_currency) and self.quote_lead_time_days is not None

    @property
    def summary(self) -> str:
        """The explanation in one line, in the active language; the units are those the match holds now."""
        return explanation_summary(self.explanation or {}, units=self.quantity)

    @property
    def quantity_in_transit(self):
        """Units that left the source and were neither received nor resolved.

        On a shipped match they await receipt; on a fulfilled or cancelled one they are a discrepancy
        that an administrator resolves (lost or returned).
        """
        return self.quantity_shipped - self.quantity_received - self.quantity_lost - self.quantity_returned

    @property
    def has_discrepancy(self):
        return self.status != self.Status.SHIPPED and self.quantity_in_transit > 0

    @property
    def usd_net(self):
        """Dollars saved net of what the domestic source cost; None while either side is unknown."""
        if self.usd_avoided is None or self.usd_domestic_cost is None:
            return None
        return self.usd_avoided - self.usd_domestic_cost


class MatchStatusChange(ChoiceLabels, models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="history", verbose_name=_("match"))
    from_status = models.CharField(_("from"), max_length=20, choices=Match.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Match.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Who did what stays known: a user who acted is deactivated, never deleted.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("match status change")
        verbose_name_plural = _("match status changes")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display() or '∅'} → {self.get_to_status_display()}"


class RequestStatusChange(ChoiceLabels, models.Model):
    request = models.ForeignKey(
        PartRequest, on_delete=models.CASCADE, related_name="history", verbose_name=_("request")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=PartRequest.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PartRequest.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Who did what stays known: a user who acted is deactivated, never deleted.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request status change")
        verbose_name_plural = _("request status changes")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display() or '∅'} → {self.get_to_status_display()}"


def request_photo_path(photo, filename):
    return f"requests/{photo.request_id}/{filename}"


class RequestPhoto(models.Model):
    """A photo of the worn part, stored re-encoded: bounded in size, without its EXIF (GPS) data."""

    request = models.ForeignKey(PartRequest, on_delete=models.CASCADE, related_name="photos", verbose_name=_("request"))
    image = models.ImageField(_("image"), upload_to=request_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=request_photo_path)
    # Set from the encoder, not through the field's width_field, which would read the file back from storage.
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Who did what stays known: a user who acted is deactivated, never deleted.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request photo")
        verbose_name_plural = _("request photos")
        ordering = ["at", "id"]

    def __str__(self):
        return f"#{self.request_id} {self.image.name}"


class Notification(ChoiceLabels, models.Model):
    """Something a plant's member should see. It stores the facts; its text is written in the reader's language."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("New sources found")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        QUOTED = "quoted", _("Quoted")
        ACCEPTED = "accepted", _("Accepted")
        SHIPPED = "shipped", _("Shipped")
        FULFILLED = "fulfilled", _("Fulfilled")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        OFFERED = "offered", _("Offer")
        EXPIRED = "expired", _("Request expired")
        CLEARANCE_GRANTED = "clearance_granted", _("Import clearance granted")
        CLEARANCE_REFUSED = "clearance_refused", _("Import clearance refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    plant = models.ForeignKey(Plant, on_delete=models.CASCADE, related_name="+", verbose_name=_("plant"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    request = models.ForeignKey(
        PartRequest, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("request")
    )
    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("match")
    )
    # Facts the text needs beyond the request and the match (how many sources were found).
    details = models.JSONField(_("details"), default=dict, blank=True)
    # The event, once per recipient: a retried task writes nothing twice, while two quotes are two events.
    event_key = models.CharField(_("event"), max_length=80, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="notification_unique_user_event"),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read_idx"),
            # The admin's list of every notification in its order, newest first, read backward.
            models.Index(fields=["at", "id"], name="notification_at_idx"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · #{self.request_id}"

    @property
    def text(self) -> str:
        """One sentence in the active language; load request__part and match__source_plant with it."""
        facts = {
            "request": self.request_id,
            "part": self.request.part_label,
            "match": self.match_id or 0,
            "source": self.match.source_plant.name if self.match_id else "",
        }
        if self.kind == self.Kind.PROPOSED:
            count = self.details.get("count", 1)
            return ngettext(
                "%(count)d new source found for request #%(request)d (%(part)s).",
                "%(count)d new sources found for request #%(request)d (%(part)s).",
                count,
            ) % {**facts, "count": count}
        sentence = NOTIFICATION_SENTENCES[self.kind]() % facts
        if reason := self.details.get("reason"):
            # Why a requester declined a source: the source reads it in its own language.
            sentence = gettext("%(sentence)s Reason: %(reason)s.") % {
                "sentence": sentence,
                "reason": DeclineReason(reason).label,
            }
        if note := self.details.get("note"):
            # The reason given with a rejection, decline or cancellation, or the carrier of a shipment.
            return gettext("%(sentence)s Note: %(note)s") % {"sentence": sentence, "note": note}
        return sentence


# Called when read, so that each reader gets the sentence in the language of their request.
NOTIFICATION_SENTENCES = {
    Notification.Kind.APPROVED: lambda: gettext(
        "An administrator approved %(source)s as a source for request #%(request)d (%(part)s)."
    ),
    Notification.Kind.REJECTED: lambda: gettext(
        "An administrator rejected %(source)s as a source for request #%(request)d (%(part)s)."
    ),
    Notification.Kind.QUOTED: lambda: gettext(
        "%(source)s quoted match #%(match)d for request #%(request)d (%(part)s)."
    ),
    Notification.Kind.ACCEPTED: lambda: gettext(
        "The requester accepted match #%(match)d from %(source)s for request #%(request)d (%(part)s)."
    ),
    Notification.Kind.SHIPPED: lambda: gettext(
        "%(source)s shipped match #%(match)d for request #%(request)d (%(part)s)."
    ),
    Notification.Kind.FULFILLED: lambda: gettext(
        "The requester received match #%(match)d from %(source)s for request #%(request)d (%(part)s)."
    ),
    Notification.Kind.DECLINED: lambda: gettext(
        "Match #%(match)d from %(source)s for request #%(request)d (%(part)s) was declined."
    ),
    Notification.Kind.CANCELLED: lambda: gettext(
        "Match #%(match)d from %(source)s for request #%(request)d (%(part)s) was cancelled."
    ),
    Notification.Kind.OFFERED: lambda: gettext("%(source)s offered a source for request #%(request)d (%(part)s)."),
    Notification.Kind.EXPIRED: lambda: gettext("Request #%(request)d (%(part)s) expired: its date has passed."),
    Notification.Kind.CLEARANCE_GRANTED: lambda: gettext(
        "The import clearance for request #%(request)d (%(part)s) was granted: the request is closed as cleared."
    ),
    Notification.Kind.CLEARANCE_REFUSED: lambda: gettext(
        "The import clearance for request #%(request)d (%(part)s) was refused: the request stays open."
    ),
}


class Clearance(ChoiceLabels, models.Model):
    """The certificate that no domestic source was found for a request (constancia de no disponibilidad nacional).

    ``sources`` is the snapshot of every domestic source considered, taken when it was asked and again when
    granted; the digest seals what a granted clearance certifies, so that a printed copy can be checked.
    """

    class Status(models.TextChoices):
        ASKED = "asked", _("Asked")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    # Set from the id once the row exists (CND-<year>-<id>); null until then, so that two asks never collide.
    serial = models.CharField(_("serial"), max_length=20, unique=True, null=True, editable=False)
    request = models.ForeignKey(
        PartRequest, on_delete=models.PROTECT, related_name="clearances", verbose_name=_("request")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ASKED, editable=False, db_index=True
    )
    sources = models.JSONField(_("sources considered"), default=list, blank=True, editable=False)
    # The request as certified (plant, part, numbers, quantity): a later rename does not change the certificate.
    request_facts = models.JSONField(_("request as certified"), default=dict, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Who did what stays known: a user who acted is deactivated, never deleted.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    granted_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    digest = models.CharField(_("digest (SHA-256)"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("import clearance")
        verbose_name_plural = _("import clearances")
        ordering = ["-asked_at", "-id"]
        constraints = [
            # One clearance asked or granted per request at a time; a refused one may be asked again.
            models.UniqueConstraint(
                fields=["request"], condition=Q(status__in=["asked", "granted"]), name="clearance_one_live_per_request"
            ),
            models.CheckConstraint(
                condition=~Q(status="granted")
                | (Q(granted_at__isnull=False) & Q(valid_until__isnull=False) & ~Q(digest="")),
                name="clearance_granted_is_sealed",
            ),
        ]

    def __str__(self):
        return self.serial or f"#{self.pk}"

    def is_valid_on(self, day) -> bool:
        return self.status == self.Status.GRANTED and self.valid_until is not None and day <= self.valid_until
