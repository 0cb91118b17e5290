"""The stock and exchange invariants, checked over the whole database.

Units that left a source's store are received, still in transit, lost or back in that store, and
the ledger tells the same story: for each stock match, the source's movements for it sum to
returned − shipped, and the requester's transfers in to the units received into stock.

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

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Least

from exchange.models import Match, PartRequest
from exchange.selectors import stock_matches_holding_reservations, units_in_transit
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

    held = _sum_of(stock_matches_holding_reservations(), per="stock_item", field="quantity")
    for item_id, reserved, holding in (
        StockItem.objects.annotate(holding=held).exclude(reserved=F("holding")).values_list("id", "reserved", "holding")
    ):
        violations.append(
            f"stock item {item_id}: reserved {reserved} but accepted matches not yet shipped hold {holding}"
        )

    delivered = _sum_of(Match.objects.filter(status=Match.Status.FULFILLED), per="request", field="quantity_received")
    for request_id, fulfilled, expected in (
        PartRequest.objects.annotate(expected=Least(delivered, F("quantity"), output_field=IntegerField()))
        .exclude(quantity_fulfilled=F("expected"))
        .values_list("id", "quantity_fulfilled", "expected")
    ):
        violations.append(
            f"request {request_id}: quantity_fulfilled {fulfilled} but its fulfilled matches deliver {expected}"
        )
    committed = _sum_of(Match.objects.filter(status__in=RESERVING_STATUSES), per="request", field="quantity")
    served = committed + delivered
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
    violations.extend(_receipt_violations())
    return violations


def _receipt_violations() -> list[str]:
    """Units that left a source are received, in transit, lost or back in its store, and the ledger says so."""
    violations = []
    movements_of_match = StockMovement.objects.filter(match=OuterRef("pk")).order_by().values("match")
    out_of_source = Coalesce(
        Subquery(
            movements_of_match.filter(stock_item=OuterRef("stock_item")).annotate(total=Sum("delta")).values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
    into_requester = Coalesce(
        Subquery(
            movements_of_match.exclude(stock_item=OuterRef("stock_item"))
            .filter(reason=StockMovement.Reason.TRANSFER_IN)
            .annotate(total=Sum("delta"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
    for match_id, shipped, returned, ledger in (
        Match.objects.filter(source=Match.Source.STOCK)
        .annotate(source_ledger=out_of_source)
        .exclude(source_ledger=F("quantity_returned") - F("quantity_shipped"))
        .values_list("id", "quantity_shipped", "quantity_returned", "source_ledger")
    ):
        violations.append(
            f"match {match_id}: {shipped} units left the source and {returned} came back, "
            f"but the source's ledger moved {ledger} for it"
        )
    expected_in = Case(When(received_into_stock=True, then=F("quantity_received")), default=Value(0))
    for match_id, expected, ledger in (
        Match.objects.annotate(requester_ledger=into_requester, expected_in=expected_in)
        .exclude(requester_ledger=F("expected_in"))
        .values_list("id", "expected_in", "requester_ledger")
    ):
        violations.append(f"match {match_id}: {expected} units received into stock but the ledger entered {ledger}")
    for match_id, status, in_transit in (
        Match.objects.annotate(in_transit=units_in_transit())
        .filter(in_transit__gt=0)
        .exclude(status__in=[Match.Status.SHIPPED, Match.Status.FULFILLED, Match.Status.CANCELLED])
        .values_list("id", "status", "in_transit")
    ):
        violations.append(f"match {match_id}: {in_transit} units in transit on a {status} match")
    return violations


if __name__ == "__main__":
    broken = invariant_violations()
    print("\n".join(broken) or "All invariants hold.")
    sys.exit(1 if broken else 0)
