from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from .choices import ChoiceLabels
from .normalization import normalize_code
from .processes import Process

IT_GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(18)]
POSITIVE_DECIMAL = [MinValueValidator(0.001)]


def envelope_field(verbose_name):
    return models.DecimalField(
        verbose_name, max_digits=10, decimal_places=3, null=True, blank=True, validators=POSITIVE_DECIMAL
    )


def positive_or_null(field):
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": 0})


def it_grade_in_range(field):
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 18})


def who_acted(verbose_name):
    """The user who did something, set by the services: a user who acted is deactivated, never deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        editable=False,
    )


class Plant(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        PLANT = "plant", _("Plant")
        MACHINE_SHOP = "machine_shop", _("Machine shop")

    class Ownership(models.TextChoices):
        STATE = "state", _("State-owned")
        WORKER_CONTROLLED = "worker_controlled", _("Worker-controlled")
        PRIVATE = "private", _("Private")
        COOPERATIVE = "cooperative", _("Cooperative")
        PUBLIC_INSTITUTION = "public_institution", _("Public institution")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLANT)
    ownership = models.CharField(_("ownership"), max_length=30, choices=Ownership.choices, default=Ownership.STATE)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=100, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plant")
        verbose_name_plural = _("plants")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="plant_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="plant_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name


class Membership(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    plant = models.ForeignKey(Plant, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("plant"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "plant"], name="membership_unique_user_plant")]

    def __str__(self):
        return f"{self.user} @ {self.plant} ({self.get_role_display()})"


class Profile(ChoiceLabels, models.Model):
    """What a person prefers beyond Django's user: the language the exchange writes to them in (e-mails).

    No profile, or a blank language, means the site's LANGUAGE_CODE.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"{self.user} ({self.language or '-'})"


class Material(ChoiceLabels, models.Model):
    class Family(models.TextChoices):
        CARBON_STEEL = "carbon_steel", _("Carbon steel")
        ALLOY_STEEL = "alloy_steel", _("Alloy steel")
        STAINLESS_STEEL = "stainless_steel", _("Stainless steel")
        TOOL_STEEL = "tool_steel", _("Tool steel")
        CAST_IRON = "cast_iron", _("Cast iron")
        COPPER_ALLOY = "copper_alloy", _("Copper alloy")
        ALUMINIUM = "aluminium", _("Aluminium")
        POLYMER = "polymer", _("Polymer")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    family = models.CharField(_("family"), max_length=30, choices=Family.choices, default=Family.OTHER)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MaterialDesignation(models.Model):
    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="designations", verbose_name=_("material")
    )
    designation = models.CharField(_("designation"), max_length=100)
    normalized = models.CharField(_("normalized"), max_length=100, editable=False)

    class Meta:
        verbose_name = _("material designation")
        verbose_name_plural = _("material designations")
        # One designation names one grade: the equivalence table must be unambiguous.
        constraints = [models.UniqueConstraint(fields=["normalized"], name="designation_unique_normalized")]

    def __str__(self):
        return self.designation

    def save(self, *args, **kwargs):
        self.normalized = normalize_code(self.designation)
        super().save(*args, **kwargs)


class Part(models.Model):
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=100, blank=True, db_index=True)
    description = models.TextField(_("description"), blank=True)
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, null=True, blank=True, related_name="parts", verbose_name=_("material")
    )
    processes = models.JSONField(_("processes"), default=list, blank=True)
    diameter_mm = envelope_field(_("diameter (mm)"))
    length_mm = envelope_field(_("length (mm)"))
    weight_kg = envelope_field(_("weight (kg)"))
    it_grade = models.PositiveSmallIntegerField(_("IT grade"), null=True, blank=True, validators=IT_GRADE_VALIDATORS)
    import_price_usd = models.DecimalField(
        _("import price (USD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [
            models.CheckConstraint(condition=it_grade_in_range("it_grade"), name="part_it_grade_range"),
            models.CheckConstraint(condition=positive_or_null("diameter_mm"), name="part_diameter_positive"),
            models.CheckConstraint(condition=positive_or_null("length_mm"), name="part_length_positive"),
            models.CheckConstraint(condition=positive_or_null("weight_kg"), name="part_weight_positive"),
            models.CheckConstraint(
                condition=Q(import_price_usd__isnull=True) | Q(import_price_usd__gte=0),
                name="part_import_price_not_negative",
            ),
        ]

    def __str__(self):
        return self.name


class PartNumber(models.Model):
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="numbers", verbose_name=_("part"))
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    number = models.CharField(_("number"), max_length=100)
    normalized = models.CharField(_("normalized"), max_length=100, editable=False, db_index=True)

    class Meta:
        verbose_name = _("part number")
        verbose_name_plural = _("part numbers")
        constraints = [
            models.UniqueConstraint(fields=["part", "brand", "normalized"], name="partnumber_unique_per_part"),
        ]
        # The lookup's set of known brands: PostgreSQL reads each distinct brand from it in one step
        # (inventory.selectors.known_brands) instead of scanning every number.
        indexes = [models.Index(fields=["brand"], name="partnumber_brand")]

    def __str__(self):
        return f"{self.brand} {self.number}".strip()

    def save(self, *args, **kwargs):
        self.normalized = normalize_code(self.number)
        super().save(*args, **kwargs)


class StockItem(ChoiceLabels, models.Model):
    class Condition(models.TextChoices):
        NEW = "new", _("New")
        REFURBISHED = "refurbished", _("Refurbished")
        USED = "used", _("Used")

    plant = models.ForeignKey(Plant, on_delete=models.PROTECT, related_name="stock_items", verbose_name=_("plant"))
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="stock_items", verbose_name=_("part"))
    # Changed only by inventory.services, which writes the ledger in the same transaction.
    quantity = models.PositiveIntegerField(_("quantity"), default=0, editable=False)
    reserved = models.PositiveIntegerField(_("reserved"), default=0, editable=False)
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices, default=Condition.NEW)
    location = models.CharField(_("location"), max_length=200, blank=True, default="")
    exchangeable = models.BooleanField(_("exchangeable"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("stock item")
        verbose_name_plural = _("stock items")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_quantity_not_negative"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=F("quantity")), name="stock_reserved_within_quantity"
            ),
            models.UniqueConstraint(
                fields=["plant", "part", "condition", "location"], name="stock_unique_plant_part_condition_location"
            ),
        ]
        indexes = [
            # Matching looks up exchangeable stock of a set of parts.
            models.Index(fields=["part", "exchangeable"], name="stock_part_exchangeable_idx"),
        ]

    def __str__(self):
        return f"{self.part} @ {self.plant} ({self.quantity})"

    @property
    def quantity_available(self):
        return self.quantity - self.reserved


class StockMovement(ChoiceLabels, models.Model):
    class Reason(models.TextChoices):
        COUNT = "count", _("Count")
        ADJUSTMENT = "adjustment", _("Adjustment")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        IMPORT = "import", _("Import")

    stock_item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("stock item")
    )
    delta = models.IntegerField(_("delta"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    # The id of the exchange match that moved these units. A plain id rather
    # than a foreign key keeps inventory independent of the exchange app.
    match = models.PositiveBigIntegerField(_("match"), null=True, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Who did what stays known: a user who acted is deactivated, never deleted.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Indexed by movement_at_idx, which leads with it.
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(delta=0), name="movement_delta_not_zero")]
        # The ledger in its order, newest first, read backward: the whole ledger is never sorted.
        indexes = [models.Index(fields=["at", "id"], name="movement_at_idx")]

    def __str__(self):
        return f"{self.stock_item_id}: {self.delta:+d} ({self.reason})"


class Capability(ChoiceLabels, models.Model):
    plant = models.ForeignKey(Plant, on_delete=models.CASCADE, related_name="capabilities", verbose_name=_("plant"))
    process = models.CharField(_("process"), max_length=30, choices=Process.choices, db_index=True)
    materials = models.ManyToManyField(Material, blank=True, related_name="capabilities", verbose_name=_("materials"))
    max_diameter_mm = envelope_field(_("max diameter (mm)"))
    max_length_mm = envelope_field(_("max length (mm)"))
    max_weight_kg = envelope_field(_("max weight (kg)"))
    best_it_grade = models.PositiveSmallIntegerField(
        _("best IT grade"), null=True, blank=True, validators=IT_GRADE_VALIDATORS
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=14)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        constraints = [
            models.CheckConstraint(condition=it_grade_in_range("best_it_grade"), name="capability_it_grade_range"),
            models.CheckConstraint(condition=positive_or_null("max_diameter_mm"), name="capability_diameter_positive"),
            models.CheckConstraint(condition=positive_or_null("max_length_mm"), name="capability_length_positive"),
            models.CheckConstraint(condition=positive_or_null("max_weight_kg"), name="capability_weight_positive"),
            models.UniqueConstraint(fields=["plant", "process"], name="capability_unique_plant_process"),
        ]
        indexes = [
            # Matching narrows a process's capabilities by their limits, plant by plant:
            # on PostgreSQL this covering index answers without reading the table.
            models.Index(
                fields=["process", "plant"],
                include=["id", "max_diameter_mm", "max_length_mm", "max_weight_kg", "best_it_grade"],
                name="capability_process_limits_idx",
            ),
        ]

    def __str__(self):
        return f"{self.plant}: {self.get_process_display()}"


class Interchange(ChoiceLabels, models.Model):
    """A part that can be fitted where another is needed, though the two share no number (SPEC)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # Each foreign key leads an index with the status (Meta.indexes): no index of its own.
    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="substitutes", verbose_name=_("part"), db_index=False
    )
    substitute = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="substitute_for", verbose_name=_("substitute"), db_index=False
    )
    two_way = models.BooleanField(
        _("two way"), default=False, help_text=_("The part can also be fitted where the substitute is needed.")
    )
    note = models.CharField(
        _("note"), max_length=300, help_text=_("Why they replace each other: a catalogue, a drawing, a plant that did.")
    )
    # Changed only by inventory.services: it counts for matching once an administrator approves it.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, editable=False
    )
    created_by = who_acted(_("proposed by"))
    # Who approved it, or who rejected it: the administrator who decided last.
    approved_by = who_acted(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("interchange")
        verbose_name_plural = _("interchanges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(part=F("substitute")), name="interchange_not_itself"),
            # One interchange per pair of parts, whichever is the substitute: two_way states the reverse.
            models.UniqueConstraint(
                Least("part", "substitute"), Greatest("part", "substitute"), name="interchange_unique_pair"
            ),
        ]
        indexes = [
            # Matching looks up the approved interchanges of a set of parts, from either side.
            models.Index(fields=["part", "status"], name="interchange_part_status_idx"),
            models.Index(fields=["substitute", "status"], name="interchange_substitute_idx"),
        ]

    def __str__(self):
        arrow = "⇄" if self.two_way else "→"
        return f"#{self.pk} {self.substitute} {arrow} {self.part}"
