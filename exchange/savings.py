"""What the exchange saved: dollars not spent on imports, and what was paid at home instead."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from .models import Match, PartRequest


def savings_summary() -> dict:
    fulfilled = Match.objects.filter(status=Match.Status.FULFILLED)
    total = fulfilled.aggregate(total=Sum("usd_avoided"))["total"] or Decimal("0")

    def grouped(field):
        rows = fulfilled.values(field).annotate(usd=Sum("usd_avoided")).order_by("-usd", field)
        return [{"key": row[field] or "", "usd_avoided": row["usd"] or Decimal("0")} for row in rows]

    by_month = (
        fulfilled.annotate(month=TruncMonth("fulfilled_at"))
        .values("month")
        .annotate(usd=Sum("usd_avoided"))
        .order_by("month")
    )
    spend = (
        fulfilled.exclude(quote_currency="")
        .values("quote_currency")
        .annotate(total=Sum("quote_price"))
        .order_by("quote_currency")
    )
    return {
        "usd_avoided_total": total,
        "usd_avoided_by_state": grouped("request__plant__state"),
        "usd_avoided_by_sector": grouped("request__plant__sector"),
        "usd_avoided_by_month": [
            {"month": row["month"].strftime("%Y-%m"), "usd_avoided": row["usd"] or Decimal("0")} for row in by_month
        ],
        "domestic_spend_by_currency": {row["quote_currency"]: row["total"] or Decimal("0") for row in spend},
    }


def exchange_stats() -> dict:
    by_status = dict(Match.objects.values_list("status").annotate(count=Count("id")).order_by())
    requests = dict(PartRequest.objects.values_list("status").annotate(count=Count("id")).order_by())
    summary = savings_summary()
    return {
        "usd_avoided_total": summary["usd_avoided_total"],
        "requests_open": requests.get(PartRequest.Status.OPEN, 0),
        "requests_fulfilled": requests.get(PartRequest.Status.FULFILLED, 0),
        "requests_cleared": requests.get(PartRequest.Status.CLEARED, 0),
        "matches_by_status": {status: by_status.get(status, 0) for status in Match.Status.values},
        "usd_avoided_by_state": summary["usd_avoided_by_state"],
        "usd_avoided_by_sector": summary["usd_avoided_by_sector"],
        "usd_avoided_by_month": summary["usd_avoided_by_month"],
        "domestic_spend_by_currency": summary["domestic_spend_by_currency"],
    }
