"""Quotes in bolívares converted at the rate of their day, and the net savings of what was received."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from exchange import rates, savings
from exchange import services as exchange_services
from exchange.models import ExchangeRate, Match, Notification
from inventory.access import SYSTEM

FRIDAY = date(2026, 11, 27)


def enter_rate(day, rate):
    return rates.exchange_rate_save(exchange_rate=ExchangeRate(date=day, rate=Decimal(rate)), user=SYSTEM)


def quote_in_bolivares(world, price="150.00", lead_time_days=3):
    return world.client("other").post(
        f"/api/matches/{world.match.pk}/quote/",
        {"price": price, "currency": "VES", "lead_time_days": lead_time_days},
        format="json",
    )


def on_day(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)


def receive(world, match):
    exchange_services.match_approve(match=match, user=world.users["admin"])
    exchange_services.match_accept(match=match, user=world.users["owner"])
    return exchange_services.match_fulfil(match=match, user=world.users["owner"])


def test_a_quote_in_bolivares_keeps_the_rate_of_its_day_when_newer_rates_arrive(world):
    # given the world's rate of a month ago: 40 bolívares per dollar
    response = quote_in_bolivares(world)

    assert response.status_code == 200
    assert response.json()["quote"] == {
        "price": "150.00",
        "currency": "VES",
        "lead_time_days": 3,
        "rate": "40.00000000",
        "price_usd": "3.75",
    }

    # when the bolívar falls the next day
    enter_rate(timezone.localdate(), "80")

    # then the quote given yesterday is worth what it was worth
    shown = world.client("owner").get(f"/api/matches/{world.match.pk}/").json()
    assert (shown["quote_rate"], shown["quote_price_usd"]) == ("40.00000000", "3.75")


def test_a_quote_converts_at_the_latest_rate_on_or_before_its_day_never_a_later_one(world, monkeypatch):
    enter_rate(FRIDAY, "245.50")
    enter_rate(FRIDAY + timedelta(days=3), "250.00")  # Monday
    on_day(monkeypatch, FRIDAY + timedelta(days=2))  # Sunday

    quote_in_bolivares(world, price="491.00")

    world.match.refresh_from_db()
    assert (world.match.quote_rate, world.match.quote_price_usd) == (Decimal("245.50"), Decimal("2.00"))


@pytest.mark.parametrize("day_offset", [1, 2])
def test_the_rate_of_a_weekend_day_is_fridays(world, day_offset):
    friday_rate = enter_rate(FRIDAY, "245.50")
    enter_rate(FRIDAY + timedelta(days=3), "250.00")

    assert rates.exchange_rate_in_force(day=FRIDAY + timedelta(days=day_offset)) == friday_rate
    assert rates.exchange_rate_in_force(day=FRIDAY + timedelta(days=3)).rate == Decimal("250.00")


def test_a_quote_in_bolivares_without_any_rate_is_refused_naming_the_currency(world):
    world.rate.delete()
    # A rate published tomorrow does not convert today's quote either.
    enter_rate(timezone.localdate() + timedelta(days=1), "80")

    response = quote_in_bolivares(world)

    assert response.status_code == 400
    assert "currency" in response.json()
    world.match.refresh_from_db()
    assert not world.match.is_quoted
    # In dollars the same quote is taken: it needs no rate.
    in_dollars = world.client("other").post(
        f"/api/matches/{world.match.pk}/quote/",
        {"price": "3.75", "currency": "USD", "lead_time_days": 3},
        format="json",
    )
    assert in_dollars.status_code == 200
    assert in_dollars.json()["quote"]["rate"] is None
    assert in_dollars.json()["quote"]["price_usd"] == "3.75"


def test_a_setting_keeps_quotes_in_bolivares_unconverted_and_out_of_the_net_saving(world, settings):
    settings.ALLOW_UNCONVERTED_VES_QUOTES = True
    world.rate.delete()

    response = quote_in_bolivares(world)

    assert response.status_code == 200
    assert (response.json()["quote"]["rate"], response.json()["quote"]["price_usd"]) == (None, None)
    fulfilled = receive(world, Match.objects.get(pk=world.match.pk))
    assert fulfilled.usd_avoided == Decimal("80.00")
    assert fulfilled.usd_domestic_cost is None
    totals = savings.savings_totals(savings.fulfilled_matches())
    assert (totals["usd_avoided_total"], totals["usd_net_total"]) == (Decimal("80.00"), Decimal("0"))


def test_received_units_count_gross_net_and_days_gained(world):
    world.request.import_lead_time_days = 60
    world.request.save()
    quote_in_bolivares(world, lead_time_days=5)

    receive(world, Match.objects.get(pk=world.match.pk))

    # 2 bearings at 40 USD imported, 150 VES at 40 VES/USD at home, 5 days instead of 60
    shown = world.client("other").get(f"/api/matches/{world.match.pk}/").json()
    assert (shown["usd_avoided"], shown["usd_domestic_cost"], shown["usd_net"], shown["days_gained"]) == (
        "80.00",
        "3.75",
        "76.25",
        55,
    )


def test_the_savings_record_prices_the_units_received_as_a_share_of_the_quote(world):
    quote_in_bolivares(world, price="150.00")
    match = Match.objects.select_related("request").get(pk=world.match.pk)

    savings.match_savings_record(match, units_received=1)

    assert (match.usd_avoided, match.usd_domestic_cost, match.usd_net) == (
        Decimal("40.00"),
        Decimal("1.88"),
        Decimal("38.12"),
    )


def test_stats_give_the_net_total_and_by_state_sector_and_month(world):
    quote_in_bolivares(world)
    receive(world, Match.objects.get(pk=world.match.pk))

    stats = world.client("shop").get("/api/stats/").json()

    assert (stats["usd_avoided_total"], stats["usd_domestic_cost_total"], stats["usd_net_total"]) == (
        "80.00",
        "3.75",
        "76.25",
    )
    assert stats["usd_avoided_by_state"] == [{"key": "Barinas", "usd_avoided": "80.00", "usd_net": "76.25"}]
    assert stats["usd_avoided_by_sector"][0]["usd_net"] == "76.25"
    assert stats["usd_avoided_by_month"] == [
        {"month": timezone.now().strftime("%Y-%m"), "usd_avoided": "80.00", "usd_net": "76.25"}
    ]


def requesters_decline(world, body):
    return world.client("owner").post(f"/api/matches/{world.match.pk}/decline/", body, format="json")


def test_the_requester_declining_an_approved_source_without_a_reason_is_refused(world):
    exchange_services.match_approve(match=world.match, user=world.users["admin"])

    response = requesters_decline(world, {"note": "No"})

    assert response.status_code == 400
    assert "reason" in response.json()
    world.match.refresh_from_db()
    assert world.match.status == Match.Status.APPROVED


def test_the_requester_declining_a_quoted_proposal_without_a_reason_is_refused(world):
    quote_in_bolivares(world)

    assert requesters_decline(world, {}).status_code == 400
    assert requesters_decline(world, {"reason": "cheap"}).status_code == 400


def test_a_proposal_nobody_quoted_may_be_declined_without_a_reason(world):
    assert requesters_decline(world, {}).status_code == 200


def test_the_source_declines_an_approved_match_without_a_reason(world):
    exchange_services.match_approve(match=world.match, user=world.users["admin"])

    response = world.client("other").post(f"/api/matches/{world.match.pk}/decline/", {}, format="json")

    assert response.status_code == 200
    assert response.json()["decline_reason"] == ""


def test_the_reason_is_kept_and_shown_to_the_source(world, django_capture_on_commit_callbacks):
    quote_in_bolivares(world)

    with django_capture_on_commit_callbacks(execute=True):
        response = requesters_decline(world, {"reason": "price", "note": "Casi el precio de importar"})

    assert response.status_code == 200
    seen_by_source = world.client("other").get(f"/api/matches/{world.match.pk}/").json()
    assert (seen_by_source["decline_reason"], seen_by_source["decline_note"]) == (
        "price",
        "Casi el precio de importar",
    )
    told = Notification.objects.get(user=world.users["other"], kind=Notification.Kind.DECLINED)
    assert "Reason: Price." in told.text
    assert "Casi el precio de importar" in told.text
    (email,) = [message for message in mail.outbox if world.users["other"].email in message.to]
    assert "Price — Casi el precio de importar" in email.body
