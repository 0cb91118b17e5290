"""The stock and exchange invariants, checked over the whole database.

Used by bench/load.py after a load run, by tests/reliability after fault
injection, and by hand after a restore:  python bench/invariants.py  (uses
DATABASE_URL; exits 1 if an invariant is broken). Each check is one aggregate
query, so it stays cheap on a large database. Import it after django.setup().
"""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least

from exchange.models import Match, PartRequest
from exchange.transitions import RESERVING_STATUSES
from inventory.models import StockItem, StockMovement


def _sum_of(queryset, *, per, field):
    """A correlated subquery: the sum of ``field`` over the rows of ``queryset`` whose ``per`` is the outer row."""
    total = queryset.filter(**{per: OuterRef("pk")}).order_by().values(per).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def invariant_violations() -> list[str]:
    """Every broken invariant, one readable line each; an empty list means the data is consistent."""
    violations = []

    ledger_sum = _sum_of(StockMovement.objects, per="stock_item", field="delta")
    for item_id, quantity, ledger in (
        StockItem.objects.annotate(ledger=ledger_sum)
        .exclude(quantity=F("ledger"))
        .values_list("id", "quantity", "ledger")
    ):
        violations.append(f"stock item {item_id}: quantity {quantity} but its ledger sums to {ledger}")

    for item_id, quantity, reserved in StockItem.objects.filter(
        Q(reserved__lt=0) | Q(reserved__gt=F("quantity"))
    ).values_list("id", "quantity", "reserved"):
        violations.append(f"stock item {item_id}: reserved {reserved} outside 0..{quantity}")

    held = _sum_of(
        Match.objects.filter(source=Match.Source.STOCK, status__in=RESERVING_STATUSES),
        per="stock_item",
        field="quantity",
    )
    for item_id, reserved, holding in (
        StockItem.objects.annotate(holding=held).exclude(reserved=F("holding")).values_list("id", "reserved", "holding")
    ):
        violations.append(f"stock item {item_id}: reserved {reserved} but accepted or shipped matches hold {holding}")

    delivered = _sum_of(Match.objects.filter(status=Match.Status.FULFILLED), per="request", field="quantity")
    for request_id, fulfilled, expected in (
        PartRequest.objects.annotate(expected=Least(delivered, F("quantity"), output_field=IntegerField()))
        .exclude(quantity_fulfilled=F("expected"))
        .values_list("id", "quantity_fulfilled", "expected")
    ):
        violations.append(
            f"request {request_id}: quantity_fulfilled {fulfilled} but its fulfilled matches deliver {expected}"
        )
    served = _sum_of(
        Match.objects.filter(status__in=[*RESERVING_STATUSES, Match.Status.FULFILLED]),
        per="request",
        field="quantity",
    )
    for request_id, quantity, serving in (
        PartRequest.objects.annotate(serving=served)
        .filter(serving__gt=F("quantity"))
        .values_list("id", "quantity", "serving")
    ):
        violations.append(f"request {request_id}: needs {quantity} but its matches serve {serving}")

    for match_id, source_plant_id, item_plant_id in (
        Match.objects.filter(source=Match.Source.STOCK)
        .exclude(source_plant_id=F("stock_item__plant_id"))
        .values_list("id", "source_plant_id", "stock_item__plant_id")
    ):
        violations.append(
            f"match {match_id}: source plant {source_plant_id} but its stock item is at plant {item_plant_id}"
        )
    return violations


if __name__ == "__main__":
    broken = invariant_violations()
    print("\n".join(broken) or "All invariants hold.")
    sys.exit(1 if broken else 0)
