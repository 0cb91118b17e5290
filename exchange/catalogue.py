"""Catalogue hygiene: folding duplicate parts into one.

It lives in exchange, not inventory, because a merge moves part requests
too, and inventory must not know about the exchange.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from inventory import access
from inventory import services as inventory_services
from inventory.errors import ConflictError
from inventory.models import Part, PartNumber, StockItem

from . import tasks
from .models import PartRequest

# Fields of the kept part that a duplicate may fill in where the kept part leaves them empty.
FILLABLE_FIELDS = (
    "category",
    "description",
    "material",
    "diameter_mm",
    "length_mm",
    "weight_kg",
    "it_grade",
    "import_price_usd",
)


@dataclass(frozen=True)
class MergeResult:
    part: Part
    numbers_moved: int
    stock_items_moved: int
    requests_moved: int
    interchanges_moved: int


@transaction.atomic
def part_merge(*, keep: Part, duplicates: Iterable[Part], user) -> MergeResult:
    """Fold ``duplicates`` into ``keep`` and delete them, all in one transaction.

    Their numbers, stock items, requests and interchanges move to the kept part; matches
    follow their requests and stock items, and the ledger follows its stock
    items, so no movement is rewritten. Numbers the kept part already has
    (same brand, same normalized number) are dropped. Empty descriptive fields
    of the kept part are filled from the duplicates, and processes are joined.

    Two stock items that would become the same plant, part, condition and
    location are refused rather than combined: combining them would mean
    counting one down to zero through the ledger while its matches and
    reservations still point at it. The administrator resolves it first (for
    instance by giving one of them another location) and merges again.
    """
    access.require_administrator(user)
    duplicate_ids = sorted({part.pk for part in duplicates} - {keep.pk})
    if not duplicate_ids:
        raise ConflictError(_("Choose at least one other part to merge into the kept one."))
    # Lock every part involved, in one order, so two merges cannot interleave.
    locked = list(Part.objects.select_for_update().filter(pk__in=[keep.pk, *duplicate_ids]).order_by("pk"))
    keep = next(part for part in locked if part.pk == keep.pk)
    duplicate_parts = [part for part in locked if part.pk != keep.pk]

    _refuse_stock_conflicts(keep, duplicate_ids)
    numbers_moved = _move_numbers(keep, duplicate_ids)
    stock_items_moved = StockItem.objects.filter(part_id__in=duplicate_ids).update(part=keep)
    requests_moved = PartRequest.objects.filter(part_id__in=duplicate_ids).update(part=keep)
    interchanges_moved = inventory_services.interchanges_fold_into(keep=keep, duplicate_ids=duplicate_ids)
    _fill_from_duplicates(keep, duplicate_parts)
    try:
        Part.objects.filter(pk__in=duplicate_ids).delete()
    except ProtectedError as error:
        raise ConflictError(
            _("A duplicate is still referenced by %(objects)s; it cannot be merged.")
            % {"objects": ", ".join(sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects}))}
        ) from error
    _rematch_open_requests(keep)
    return MergeResult(
        part=keep,
        numbers_moved=numbers_moved,
        stock_items_moved=stock_items_moved,
        requests_moved=requests_moved,
        interchanges_moved=interchanges_moved,
    )


def _refuse_stock_conflicts(keep, duplicate_ids):
    slots = {}
    conflicts = []
    items = StockItem.objects.filter(part_id__in=[keep.pk, *duplicate_ids]).select_related("plant").order_by("pk")
    for item in items:
        slot = (item.plant_id, item.condition, item.location)
        if slot in slots:
            conflicts.append(
                _('%(plant)s holds both #%(first)d and #%(second)d (%(condition)s, location "%(location)s")')
                % {
                    "plant": item.plant,
                    "first": slots[slot].pk,
                    "second": item.pk,
                    "condition": item.get_condition_display(),
                    "location": item.location,
                }
            )
        else:
            slots[slot] = item
    if conflicts:
        raise ConflictError(
            _("These stock items would become one; give one of each pair another location first: %(conflicts)s.")
            % {"conflicts": "; ".join(conflicts)}
        )


def _move_numbers(keep, duplicate_ids) -> int:
    kept = set(keep.numbers.values_list("brand", "normalized"))
    moving, redundant = [], []
    for number in PartNumber.objects.filter(part_id__in=duplicate_ids).order_by("pk"):
        key = (number.brand, number.normalized)
        (redundant if key in kept else moving).append(number.pk)
        kept.add(key)
    PartNumber.objects.filter(pk__in=redundant).delete()
    return PartNumber.objects.filter(pk__in=moving).update(part=keep)


def _fill_from_duplicates(keep, duplicate_parts):
    for part in duplicate_parts:
        for name in FILLABLE_FIELDS:
            if getattr(keep, name) in (None, "") and getattr(part, name) not in (None, ""):
                setattr(keep, name, getattr(part, name))
    keep.processes = sorted(set(keep.processes or []).union(*(part.processes or [] for part in duplicate_parts)))
    keep.save()


def _rematch_open_requests(keep):
    """The kept part now carries more numbers: its open requests may find stock they could not before."""
    request_ids = list(
        PartRequest.objects.filter(part=keep, status=PartRequest.Status.OPEN).values_list("id", flat=True)
    )
    transaction.on_commit(lambda: [tasks.publish(tasks.match_request, request_id) for request_id in request_ids])
