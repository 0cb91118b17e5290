"""Every write to the inventory goes through these functions.

Stock quantities change only here, each change recorded in the ledger
(StockMovement) in the same transaction, so that the sum of an item's
movements always equals its quantity. Each function takes the ``user`` who
acts and checks it with inventory/access.py, whoever calls.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .errors import ConflictError, InsufficientStock, StockCountsRefused
from .events import capability_changed, capability_deleting, interchange_changed, stock_available, stock_fell
from .models import (
    Capability,
    Interchange,
    Material,
    MaterialDesignation,
    Membership,
    Part,
    PartNumber,
    Plant,
    Profile,
    StockItem,
    StockMovement,
)
from .normalization import normalize_code
from .selectors import part_ids_sharing_numbers


@dataclass(frozen=True)
class NumberSpec:
    brand: str
    number: str


def _announce_stock_available(stock_item_id):
    transaction.on_commit(lambda: stock_available.send(sender=StockItem, stock_item_id=stock_item_id))


def _announce_stock_fell(*stock_item_ids):
    transaction.on_commit(lambda: stock_fell.send(sender=StockItem, stock_item_ids=list(stock_item_ids)))


def _announce_capability_changed(capability):
    capability_id, plant_id = capability.pk, capability.plant_id
    transaction.on_commit(
        lambda: capability_changed.send(sender=Capability, capability_id=capability_id, plant_id=plant_id)
    )


# Plants and memberships


def plant_create(*, user, **fields) -> Plant:
    access.require_administrator(user)
    plant = Plant(**fields)
    plant.full_clean()
    plant.save()
    return plant


def plant_update(*, plant: Plant, user, **fields) -> Plant:
    access.require_administrator(user)
    for name, value in fields.items():
        setattr(plant, name, value)
    plant.full_clean()
    plant.save()
    return plant


def _delete_unless_referenced(obj) -> None:
    try:
        obj.delete()
    except ProtectedError as error:
        raise ConflictError(
            _("%(object)s is still referenced by %(referrers)s and cannot be deleted.")
            % {
                "object": obj,
                "referrers": ", ".join(
                    sorted({str(referrer._meta.verbose_name_plural) for referrer in error.protected_objects})
                ),
            }
        ) from error


def plant_delete(*, plant: Plant, user) -> None:
    access.require_administrator(user)
    _delete_unless_referenced(plant)


def membership_create(*, member, plant: Plant, role: str = Membership.Role.MEMBER, user) -> Membership:
    """Make ``member`` act for ``plant`` with ``role``, or change the role they have; ``user`` is who does it."""
    access.require_manages_plant(user, plant)
    membership, created = Membership.objects.get_or_create(user=member, plant=plant, defaults={"role": role})
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    access.forget_plant_roles(member)
    return membership


def membership_delete(*, membership: Membership, user) -> None:
    access.require_manages_plant(user, membership.plant_id)
    membership.delete()
    access.forget_plant_roles(membership.user)


# Materials


@transaction.atomic
def material_create(*, name: str, family: str, designations: Iterable[str] = (), note: str = "", user) -> Material:
    access.require_administrator(user)
    material = Material(name=name, family=family, note=note)
    material.full_clean()
    material.save()
    _material_add_designations(material=material, designations=designations)
    return material


@transaction.atomic
def material_update(*, material: Material, designations: Iterable[str] | None = None, user, **fields) -> Material:
    """Change a material; ``designations``, when given, is its whole new list of names."""
    access.require_administrator(user)
    for name, value in fields.items():
        setattr(material, name, value)
    material.full_clean()
    material.save()
    if designations is not None:
        material.designations.all().delete()
        _material_add_designations(material=material, designations=designations)
    return material


def material_delete(*, material: Material, user) -> None:
    access.require_administrator(user)
    _delete_unless_referenced(material)


def _material_add_designations(*, material: Material, designations: Iterable[str]) -> None:
    for designation in designations:
        normalized = normalize_code(designation)
        if not normalized:
            continue
        existing = MaterialDesignation.objects.filter(normalized=normalized).select_related("material").first()
        if existing is None:
            MaterialDesignation.objects.create(material=material, designation=designation.strip())
        elif existing.material_id != material.pk:
            raise ConflictError(
                _("The designation %(designation)s already names %(material)s.")
                % {"designation": designation, "material": existing.material}
            )


# Catalogue


@transaction.atomic
def part_create(
    *, name: str, numbers: Iterable[NumberSpec] = (), processes: Iterable[str] = (), user, **fields
) -> Part:
    access.require_adds_parts(user)
    part = Part(name=name, processes=sorted(set(processes)), **fields)
    part.full_clean()
    part.save()
    _part_add_numbers(part=part, numbers=numbers)
    return part


@transaction.atomic
def part_update(*, part: Part, numbers: Iterable[NumberSpec] | None = None, user, **fields) -> Part:
    access.require_administrator(user)
    if "processes" in fields:
        fields["processes"] = sorted(set(fields["processes"]))
    for name, value in fields.items():
        setattr(part, name, value)
    part.full_clean()
    part.save()
    if numbers is not None:
        part.numbers.all().delete()
        _part_add_numbers(part=part, numbers=numbers)
    return part


def part_delete(*, part: Part, user) -> None:
    access.require_administrator(user)
    _delete_unless_referenced(part)


def _part_add_numbers(*, part: Part, numbers: Iterable[NumberSpec]) -> None:
    seen = set(part.numbers.values_list("brand", "normalized"))
    for spec in numbers:
        brand, number = spec.brand.strip(), spec.number.strip()
        key = (brand, normalize_code(number))
        if not key[1] or key in seen:
            continue
        seen.add(key)
        PartNumber.objects.create(part=part, brand=brand, number=number)


# Interchangeable parts: any member proposes, administrators decide. Only approved ones count for matching.


def _announce_interchange_changed(interchange_id):
    transaction.on_commit(lambda: interchange_changed.send(sender=Interchange, interchange_id=interchange_id))


@transaction.atomic
def interchange_propose(*, part: Part, substitute: Part, two_way: bool = False, note: str, user) -> Interchange:
    """Record that ``substitute`` can be fitted where ``part`` is needed (and the reverse when ``two_way``)."""
    access.require_proposes_interchanges(user)
    if part.pk == substitute.pk:
        raise ValidationError({"substitute": [_("A part cannot be its own substitute.")]})
    if substitute.pk in part_ids_sharing_numbers({part.pk}):
        raise ConflictError(_("These parts share a number: matching already treats them as one."))
    existing = Interchange.objects.filter(
        Q(part=part, substitute=substitute) | Q(part=substitute, substitute=part)
    ).first()
    if existing is not None:
        raise ConflictError(
            _("Interchange #%(id)d already links these parts (%(status)s).")
            % {"id": existing.pk, "status": existing.get_status_display().lower()}
        )
    interchange = Interchange(
        part=part, substitute=substitute, two_way=two_way, note=note.strip(), created_by=access.person(user)
    )
    interchange.full_clean()
    interchange.save()
    return interchange


def interchange_approve(*, interchange: Interchange, user) -> Interchange:
    """Make the interchange count for matching; the open requests it could serve are matched again."""
    return _interchange_decide(interchange=interchange, status=Interchange.Status.APPROVED, user=user)


def interchange_reject(*, interchange: Interchange, user) -> Interchange:
    """Refuse a proposal, or withdraw an approved interchange from matching (its requests are matched again)."""
    return _interchange_decide(interchange=interchange, status=Interchange.Status.REJECTED, user=user)


@transaction.atomic
def _interchange_decide(*, interchange: Interchange, status: str, user) -> Interchange:
    access.require_administrator(user)
    locked = Interchange.objects.select_for_update().get(pk=interchange.pk)
    if locked.status == status:
        return locked
    counted_before = locked.status == Interchange.Status.APPROVED
    locked.status, locked.approved_by, locked.decided_at = status, access.person(user), timezone.now()
    locked.save(update_fields=["status", "approved_by", "decided_at", "updated_at"])
    if counted_before or status == Interchange.Status.APPROVED:
        _announce_interchange_changed(locked.pk)
    return locked


def interchanges_fold_into(*, keep: Part, duplicate_ids: Sequence[int]) -> int:
    """Point the duplicates' interchanges at the part they are merged into; how many were changed.

    Call inside the merge's transaction, its parts locked. An interchange between two parts that
    become one is deleted (a part never replaces itself). Of several that come to link the same
    pair, the one counting most for matching stays (approved, then proposed, then the oldest); it
    becomes two way if another of the same status was, or linked the pair the other way. An
    approved one that changed re-matches the requests it serves, as an approval does.
    """
    duplicates = set(duplicate_ids)
    merged = [keep.pk, *duplicates]
    touching = Interchange.objects.select_for_update().filter(Q(part_id__in=merged) | Q(substitute_id__in=merged))
    by_pair: dict[frozenset, list[tuple[Interchange, tuple]]] = defaultdict(list)
    for interchange in touching.order_by("pk"):
        before = (interchange.part_id, interchange.substitute_id, interchange.two_way)
        if interchange.part_id in duplicates:
            interchange.part_id = keep.pk
        if interchange.substitute_id in duplicates:
            interchange.substitute_id = keep.pk
        by_pair[frozenset({interchange.part_id, interchange.substitute_id})].append((interchange, before))
    counting_most = {Interchange.Status.APPROVED: 0, Interchange.Status.PROPOSED: 1, Interchange.Status.REJECTED: 2}
    dropped, changed = [], []
    for pair, entries in by_pair.items():
        if len(pair) == 1:
            dropped += [interchange for interchange, _before in entries]
            continue
        entries.sort(key=lambda entry: counting_most[entry[0].status])
        (survivor, before), *others = entries
        peers = [other for other, _before in others if other.status == survivor.status]
        survivor.two_way = survivor.two_way or any(peer.two_way or peer.part_id != survivor.part_id for peer in peers)
        dropped += [other for other, _before in others]
        if (survivor.part_id, survivor.substitute_id, survivor.two_way) != before:
            survivor.updated_at = timezone.now()
            changed.append(survivor)
    # Deleted first: a survivor's new pair may be the one a dropped row holds until then.
    Interchange.objects.filter(pk__in=[interchange.pk for interchange in dropped]).delete()
    Interchange.objects.bulk_update(changed, ["part", "substitute", "two_way", "updated_at"])
    for interchange in changed:
        if interchange.status == Interchange.Status.APPROVED:
            _announce_interchange_changed(interchange.pk)
    return len(changed)


# Stock


def _record_movement(*, stock_item_id, delta, reason, user, match=None, note=""):
    return StockMovement.objects.create(
        stock_item_id=stock_item_id,
        delta=delta,
        reason=reason,
        user=access.person(user),
        match=match,
        note=note[:300],
    )


@transaction.atomic
def stock_item_create(
    *,
    plant: Plant,
    part: Part,
    quantity: int = 0,
    condition: str = StockItem.Condition.NEW,
    location: str = "",
    exchangeable: bool = True,
    user,
    reason: str = StockMovement.Reason.COUNT,
) -> StockItem:
    access.require_keeps_records_of_plant(user, plant)
    if quantity < 0:
        raise ConflictError(_("A quantity cannot be negative."))
    item = StockItem(plant=plant, part=part, condition=condition, location=location, exchangeable=exchangeable)
    item.full_clean()
    item.save()
    if quantity:
        stock_adjust(stock_item=item, delta=quantity, reason=reason, user=user)
    elif exchangeable:
        _announce_stock_available(item.pk)
    return item


@transaction.atomic
def stock_item_update(*, stock_item: StockItem, user, quantity: int | None = None, **fields) -> StockItem:
    """Change an item's descriptive fields and, if given, set its counted quantity through the ledger."""
    access.require_keeps_records_of_plant(user, stock_item.plant_id)
    _refuse_moving_stock_item(stock_item, fields)
    fields = {name: value for name, value in fields.items() if name not in ("plant", "part")}
    became_exchangeable = fields.get("exchangeable") and not stock_item.exchangeable
    withdrawn_from_exchange = "exchangeable" in fields and not fields["exchangeable"] and stock_item.exchangeable
    for name, value in fields.items():
        setattr(stock_item, name, value)
    stock_item.full_clean(exclude=["quantity", "reserved"])
    stock_item.save(update_fields=[*fields.keys(), "updated_at"] if fields else ["updated_at"])
    if quantity is not None:
        stock_set_quantity(stock_item=stock_item, quantity=quantity, user=user)
    if became_exchangeable:
        _announce_stock_available(stock_item.pk)
    if withdrawn_from_exchange:
        _announce_stock_fell(stock_item.pk)
    return stock_item


def _refuse_moving_stock_item(stock_item: StockItem, fields: dict) -> None:
    # The ledger and the matches name the item's plant and part: changing either would rewrite where
    # the units were. Units move between plants through the exchange (transfer out, transfer in).
    messages = {
        "plant": _("A stock item stays at its plant; record the units at the other plant as a new item."),
        "part": _("A stock item keeps its part; count this one down and record the other part as a new item."),
    }
    errors = {}
    for name, message in messages.items():
        if name in fields and _pk_of(fields[name]) != getattr(stock_item, f"{name}_id"):
            errors[name] = [message]
    if errors:
        raise ValidationError(errors)


def _pk_of(value):
    return getattr(value, "pk", value)


def stock_item_delete(*, stock_item: StockItem, user) -> None:
    access.require_keeps_records_of_plant(user, stock_item.plant_id)
    if stock_item.reserved:
        raise ConflictError(_("This stock item holds reserved units; release them before deleting it."))
    if stock_item.movements.exists():
        raise ConflictError(
            _("This stock item has a ledger history and cannot be deleted; count it down to zero instead.")
        )
    stock_item.delete()


@transaction.atomic
def stock_adjust(*, stock_item: StockItem, delta: int, reason: str, user, match=None, note="") -> StockItem:
    """Add ``delta`` units (negative to remove) and record the movement.

    One conditional update: never below zero and never below what is reserved. Like every update() of
    a stock item here, it stamps ``updated_at`` itself, as update() skips auto_now.
    """
    access.require_keeps_records_of_plant(user, stock_item.plant_id)
    if delta == 0:
        return stock_item
    updated = StockItem.objects.filter(pk=stock_item.pk, quantity__gte=F("reserved") - delta).update(
        quantity=F("quantity") + delta, updated_at=timezone.now()
    )
    if not updated:
        raise InsufficientStock(
            _("Cannot remove %(units)d units: they are reserved or not in stock.") % {"units": -delta}
        )
    _record_movement(stock_item_id=stock_item.pk, delta=delta, reason=reason, user=user, match=match, note=note)
    stock_item.refresh_from_db(fields=["quantity", "reserved", "updated_at"])
    if delta > 0 and stock_item.exchangeable:
        _announce_stock_available(stock_item.pk)
    elif delta < 0:
        _announce_stock_fell(stock_item.pk)
    return stock_item


def stock_count_refusal(*, quantity: int, reserved: int) -> str | None:
    """Why a physical count cannot be recorded, or None: the one statement of that rule.

    The services refuse with it under the row lock; the admin's form asks it
    too, to show the refusal beside the field before anything is saved.
    """
    if quantity < 0:
        return _("A quantity cannot be negative.")
    if quantity < reserved:
        return _("%(reserved)d units are reserved for matches; the count cannot be lower.") % {"reserved": reserved}
    return None


@transaction.atomic
def stock_set_quantity(
    *, stock_item: StockItem, quantity: int, user, reason: str = StockMovement.Reason.COUNT, note=""
) -> StockItem:
    """Record a physical count: the ledger receives the difference."""
    access.require_keeps_records_of_plant(user, stock_item.plant_id)
    locked = StockItem.objects.select_for_update().get(pk=stock_item.pk)
    refusal = stock_count_refusal(quantity=quantity, reserved=locked.reserved)
    if refusal:
        raise InsufficientStock(refusal) if quantity >= 0 else ConflictError(refusal)
    stock_adjust(stock_item=stock_item, delta=quantity - locked.quantity, reason=reason, user=user, note=note)
    stock_item.refresh_from_db(fields=["quantity", "reserved", "updated_at"])
    return stock_item


# Reservation, release and transfers are steps of a match's lifecycle: exchange's match services call
# them after checking who acts there (the requester accepts a reservation of another plant's units).


def stock_reserve(*, stock_item_id: int, quantity: int) -> None:
    """Hold ``quantity`` units for a match; raises InsufficientStock if they are not available.

    One conditional update, so two callers can never hold the same unit.
    """
    updated = StockItem.objects.filter(pk=stock_item_id, reserved__lte=F("quantity") - quantity).update(
        reserved=F("reserved") + quantity, updated_at=timezone.now()
    )
    if not updated:
        raise InsufficientStock(_("The units are no longer available at the source."))
    # What other matches promise of this item may now be more than it has left.
    _announce_stock_fell(stock_item_id)


def stock_release(*, stock_item_id: int, quantity: int) -> None:
    updated = StockItem.objects.filter(pk=stock_item_id, reserved__gte=quantity).update(
        reserved=F("reserved") - quantity, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError(_("Cannot release more units than are reserved."))
    _announce_stock_available(stock_item_id)


@transaction.atomic
def stock_transfer_out(*, stock_item_id: int, quantity: int, user, match=None, note="") -> None:
    """Move reserved units out of the store (they left for the requesting plant)."""
    updated = StockItem.objects.filter(pk=stock_item_id, reserved__gte=quantity, quantity__gte=quantity).update(
        quantity=F("quantity") - quantity, reserved=F("reserved") - quantity, updated_at=timezone.now()
    )
    if not updated:
        raise InsufficientStock(_("The reserved units are no longer in stock."))
    _record_movement(
        stock_item_id=stock_item_id,
        delta=-quantity,
        reason=StockMovement.Reason.TRANSFER_OUT,
        user=user,
        match=match,
        note=note,
    )


@transaction.atomic
def stock_transfer_in(*, stock_item_id: int, quantity: int, user, match=None, note="") -> None:
    """Add units that arrived through the exchange (received from another plant, or returned from transit)."""
    StockItem.objects.filter(pk=stock_item_id).update(quantity=F("quantity") + quantity)
    _record_movement(
        stock_item_id=stock_item_id,
        delta=quantity,
        reason=StockMovement.Reason.TRANSFER_IN,
        user=user,
        match=match,
        note=note,
    )
    if StockItem.objects.filter(pk=stock_item_id, exchangeable=True).exists():
        _announce_stock_available(stock_item_id)


@transaction.atomic
def stock_receive(*, plant: Plant, part: Part, condition: str, quantity: int, user, match=None, note="") -> StockItem:
    """Enter received units into the plant's store: its item of that part and condition, created if none.

    A created item is not exchangeable: units kept as spares are the plant's own until it offers them.
    """
    access.require_keeps_records_of_plant(user, plant)
    item = StockItem.objects.filter(plant=plant, part=part, condition=condition).order_by("pk").first()
    if item is None:
        item, _created = StockItem.objects.get_or_create(
            plant=plant, part=part, condition=condition, location="", defaults={"exchangeable": False}
        )
    stock_transfer_in(stock_item_id=item.pk, quantity=quantity, user=user, match=match, note=note)
    item.refresh_from_db(fields=["quantity", "reserved", "updated_at"])
    return item


# Bulk counts (spreadsheet imports)


@dataclass(frozen=True)
class StockCount:
    part_id: int
    condition: str
    location: str
    exchangeable: bool
    quantity: int


@dataclass(frozen=True)
class StockCountOutcome:
    stock_item_id: int
    quantity_before: int | None  # None: the item was created
    quantity: int


IMPORT_WRITE_BATCH = 2000
# Re-matching runs once per announced item (inline when Celery is eager); past this many items,
# the periodic sweep of open requests serves the rest of a large import.
IMPORT_ANNOUNCE_LIMIT = 50


@transaction.atomic
def stock_import_counts(
    *, plant: Plant, counts: Sequence[StockCount], user, progress: Callable[[int], None] | None = None
) -> list[StockCountOutcome]:
    """Set many counted quantities of one plant at once, as a spreadsheet states them.

    An item is identified by part, condition and location and is created when
    missing. Every changed quantity writes one ``import`` movement in this
    transaction, so each item's ledger still sums to its quantity. Raises
    StockCountsRefused, writing nothing, when a count falls below the units
    reserved. Counts must name distinct items.
    """
    access.require_keeps_records_of_plant(user, plant)
    # The plant's row first: a concurrent import of the same plant waits here, then finds the items this one
    # creates instead of inserting them a second time (its store's rows alone cannot lock items not yet there).
    Plant.objects.select_for_update().filter(pk=plant.pk).values_list("pk").first()
    # Locking the plant's whole store in primary-key order keeps two concurrent imports from deadlocking.
    existing = {
        (row["part_id"], row["condition"], row["location"]): row
        for row in StockItem.objects.select_for_update()
        .filter(plant=plant)
        .order_by("pk")
        .values("id", "part_id", "condition", "location", "quantity", "reserved", "exchangeable")
    }
    refused = {}
    for index, count in enumerate(counts):
        current = existing.get((count.part_id, count.condition, count.location))
        refusal = stock_count_refusal(quantity=count.quantity, reserved=current["reserved"] if current else 0)
        if refusal:
            refused[index] = refusal
    if refused:
        raise StockCountsRefused(refused)

    now = timezone.now()
    outcomes: list[StockCountOutcome | None] = [None] * len(counts)
    to_create, movements, announce, fell = [], [], [], []
    to_update = defaultdict(list)  # (quantity, exchangeable) -> item ids
    for index, count in enumerate(counts):
        current = existing.get((count.part_id, count.condition, count.location))
        if current is None:
            to_create.append((index, count))
            continue
        outcomes[index] = StockCountOutcome(current["id"], current["quantity"], count.quantity)
        delta = count.quantity - current["quantity"]
        if delta == 0 and count.exchangeable == current["exchangeable"]:
            continue
        to_update[(count.quantity, count.exchangeable)].append(current["id"])
        if delta:
            movements.append((current["id"], delta))
        if count.exchangeable and (delta > 0 or not current["exchangeable"]):
            announce.append(current["id"])
        elif delta < 0 or not count.exchangeable:
            fell.append(current["id"])

    created_ids = _create_stock_items(plant=plant, counts=[count for _index, count in to_create], at=now)
    for (index, count), item_id in zip(to_create, created_ids, strict=True):
        outcomes[index] = StockCountOutcome(item_id, None, count.quantity)
        if count.quantity:
            movements.append((item_id, count.quantity))
        if count.exchangeable:
            announce.append(item_id)
    if progress:
        progress(len(to_create))
    # Counts cluster on few values, so one UPDATE per value is far quicker than bulk_update's CASE per row.
    for (quantity, exchangeable), ids in to_update.items():
        for start in range(0, len(ids), IMPORT_WRITE_BATCH):
            StockItem.objects.filter(pk__in=ids[start : start + IMPORT_WRITE_BATCH]).update(
                quantity=quantity, exchangeable=exchangeable, updated_at=now
            )
    _insert_import_movements(movements, user=user, at=now)
    if progress:
        progress(len(counts) - len(to_create))
    for stock_item_id in announce[:IMPORT_ANNOUNCE_LIMIT]:
        _announce_stock_available(stock_item_id)
    if fell:
        # Every fall, however many: what the matches of these items promise must stay true.
        _announce_stock_fell(*fell)
    return outcomes


# Bulk writes go through COPY on PostgreSQL: for a whole store the ORM's INSERTs took most of the
# import's time. Elsewhere (SQLite) bulk_create serves.


def _create_stock_items(*, plant: Plant, counts: list[StockCount], at) -> list[int]:
    """Create one item per count, its quantity already set; returns their ids in the same order."""
    if connection.vendor != "postgresql":
        items = StockItem.objects.bulk_create(
            (
                StockItem(
                    plant=plant,
                    part_id=count.part_id,
                    condition=count.condition,
                    location=count.location,
                    exchangeable=count.exchangeable,
                    quantity=count.quantity,
                )
                for count in counts
            ),
            batch_size=IMPORT_WRITE_BATCH,
        )
        return [item.pk for item in items]
    with connection.cursor() as cursor:
        # Ids drawn from the table's own sequence, so COPY can write them and the ledger can name them.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [StockItem._meta.db_table, len(counts)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    _copy_rows(
        StockItem,
        (
            "id",
            "plant_id",
            "part_id",
            "condition",
            "location",
            "exchangeable",
            "quantity",
            "reserved",
            "created_at",
            "updated_at",
        ),
        (
            (
                item_id,
                plant.pk,
                count.part_id,
                count.condition,
                count.location,
                count.exchangeable,
                count.quantity,
                0,
                at,
                at,
            )
            for item_id, count in zip(ids, counts, strict=True)
        ),
    )
    return ids


def _insert_import_movements(movements: list[tuple[int, int]], *, user, at) -> None:
    """Write (stock item id, delta) pairs as ``import`` movements."""
    recorded = access.person(user)
    user_id = recorded.pk if recorded else None
    if connection.vendor != "postgresql":
        StockMovement.objects.bulk_create(
            (
                StockMovement(stock_item_id=item_id, delta=delta, reason=StockMovement.Reason.IMPORT, user_id=user_id)
                for item_id, delta in movements
            ),
            batch_size=IMPORT_WRITE_BATCH,
        )
        return
    _copy_rows(
        StockMovement,
        ("stock_item_id", "delta", "reason", "user_id", "note", "at"),
        ((item_id, delta, StockMovement.Reason.IMPORT.value, user_id, "", at) for item_id, delta in movements),
    )


def _copy_rows(model, field_names: tuple[str, ...], rows: Iterable[tuple]) -> None:
    columns = ", ".join(model._meta.get_field(name).column for name in field_names)
    # COPY runs on psycopg's own cursor: its errors are made Django's, so a conflict is an IntegrityError (409).
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


# Capabilities


@transaction.atomic
def capability_create(*, plant: Plant, process: str, materials: Iterable[Material] = (), user, **fields) -> Capability:
    access.require_keeps_records_of_plant(user, plant)
    capability = Capability(plant=plant, process=process, **fields)
    capability.full_clean()
    capability.save()
    capability.materials.set(materials)
    _announce_capability_changed(capability)
    return capability


@transaction.atomic
def capability_update(
    *, capability: Capability, materials: Iterable[Material] | None = None, user, **fields
) -> Capability:
    access.require_keeps_records_of_plant(user, capability.plant_id)
    if "plant" in fields:
        access.require_keeps_records_of_plant(user, fields["plant"])
    for name, value in fields.items():
        setattr(capability, name, value)
    capability.full_clean()
    capability.save()
    if materials is not None:
        capability.materials.set(materials)
    _announce_capability_changed(capability)
    return capability


@transaction.atomic
def capability_delete(*, capability: Capability, user) -> None:
    access.require_keeps_records_of_plant(user, capability.plant_id)
    capability_deleting.send(sender=Capability, capability_id=capability.pk)
    _announce_capability_changed(capability)
    try:
        capability.delete()
    except ProtectedError as error:
        raise ConflictError(_("This capability is referenced by matches and cannot be deleted.")) from error


def profile_language_set(*, user, language: str) -> Profile:
    """Keep the language a signed-in person chose, for what the exchange writes to them later (e-mails)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the languages offered.")]})
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile
