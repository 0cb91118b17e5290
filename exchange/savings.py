"""What the exchange saved: dollars not spent on imports, what was paid at home instead, and the days gained.

Every figure of savings shown anywhere (the API's stats, the admin's
dashboard, a plant's home page) is computed here, from the figures each
fulfilled match recorded when its units were received.
"""

from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.db.models.functions import TruncMonth

from . import money
from .models import Match, PartRequest

# The fields match_savings_record sets, for the caller's save(update_fields=...).
RECORDED_FIELDS = ("usd_avoided", "usd_domestic_cost", "days_gained")

# Null where either side is unknown (no import price, a quote in bolívares left unconverted): SUM skips it.
USD_NET = ExpressionWrapper(
    F("usd_avoided") - F("usd_domestic_cost"), output_field=DecimalField(max_digits=16, decimal_places=2)
)


def match_savings_record(match: Match, *, units_received: int) -> None:
    """Set the match's savings for the units received (the caller saves RECORDED_FIELDS).

    ``usd_avoided`` is the request's import unit price × units received; the domestic cost is the
    quote's USD price for those units (a quote prices its whole quantity); the days gained are the
    import lead time less the quoted one.
    """
    part_request = match.request
    import_price = part_request.import_price_usd
    match.usd_avoided = None if import_price is None else money.to_cents(import_price * units_received)
    match.usd_domestic_cost = (
        None if match.quote_price_usd is None else money.share_of(match.quote_price_usd, units_received, match.quantity)
    )
    import_days, domestic_days = part_request.import_lead_time_days, match.quote_lead_time_days
    match.days_gained = None if import_days is None or domestic_days is None else import_days - domestic_days


def fulfilled_matches(*, plant_id: int | None = None) -> QuerySet:
    """Fulfilled matches, those of one requesting plant if given: the rows every savings figure sums."""
    matches = Match.objects.filter(status=Match.Status.FULFILLED)
    if plant_id is not None:
        matches = matches.filter(request__plant_id=plant_id)
    return matches


def savings_totals(matches: QuerySet) -> dict:
    """Gross and net dollars, the domestic cost and the mean days gained over ``matches`` (fulfilled ones)."""
    totals = matches.aggregate(
        avoided=Sum("usd_avoided"), domestic_cost=Sum("usd_domestic_cost"), net=Sum(USD_NET), days=Avg("days_gained")
    )
    days = totals["days"]
    return {
        "usd_avoided_total": totals["avoided"] or Decimal("0"),
        "usd_domestic_cost_total": totals["domestic_cost"] or Decimal("0"),
        "usd_net_total": totals["net"] or Decimal("0"),
        "days_gained_average": None if days is None else round(float(days), 1),
    }


def savings_grouped(matches: QuerySet, field: str) -> list[dict]:
    """Gross and net dollars of ``matches`` per value of ``field`` (a state, a sector), the largest first."""
    rows = matches.values(field).annotate(usd=Sum("usd_avoided"), net=Sum(USD_NET)).order_by("-usd", field)
    return [
        {"key": row[field] or "", "usd_avoided": row["usd"] or Decimal("0"), "usd_net": row["net"] or Decimal("0")}
        for row in rows
    ]


def savings_by_month(matches: QuerySet) -> list[dict]:
    """Gross and net dollars of ``matches`` per month of receipt, oldest first."""
    rows = (
        matches.annotate(month=TruncMonth("fulfilled_at"))
        .values("month")
        .annotate(usd=Sum("usd_avoided"), net=Sum(USD_NET))
        .order_by("month")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "usd_avoided": row["usd"] or Decimal("0"),
            "usd_net": row["net"] or Decimal("0"),
        }
        for row in rows
    ]


def savings_summary() -> dict:
    fulfilled = fulfilled_matches()
    spend = (
        fulfilled.exclude(quote_currency="")
        .values("quote_currency")
        .annotate(total=Sum("quote_price"))
        .order_by("quote_currency")
    )
    return {
        **savings_totals(fulfilled),
        "usd_avoided_by_state": savings_grouped(fulfilled, "request__plant__state"),
        "usd_avoided_by_sector": savings_grouped(fulfilled, "request__plant__sector"),
        "usd_avoided_by_month": savings_by_month(fulfilled),
        "domestic_spend_by_currency": {row["quote_currency"]: row["total"] or Decimal("0") for row in spend},
    }


def exchange_stats() -> dict:
    by_status = dict(Match.objects.values_list("status").annotate(count=Count("id")).order_by())
    requests = dict(PartRequest.objects.values_list("status").annotate(count=Count("id")).order_by())
    return {
        **savings_summary(),
        "requests_open": requests.get(PartRequest.Status.OPEN, 0),
        "requests_fulfilled": requests.get(PartRequest.Status.FULFILLED, 0),
        "requests_cleared": requests.get(PartRequest.Status.CLEARED, 0),
        "matches_by_status": {status: by_status.get(status, 0) for status in Match.Status.values},
    }
