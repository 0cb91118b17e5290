"""Exchange rates entered in the admin, and what a match's page says of its money and of its decline."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from exchange import rates, services
from exchange.models import ExchangeRate, Match
from tests.factories import MatchFactory, member_of

ADD_PAGE = reverse("admin:exchange_exchangerate_add")


def test_an_administrator_enters_a_rate_through_the_service(admin_client, admin_user, monkeypatch):
    called = []
    original = rates.exchange_rate_save
    monkeypatch.setattr(rates, "exchange_rate_save", lambda **kwargs: called.append(kwargs) or original(**kwargs))

    response = admin_client.post(
        ADD_PAGE, {"date": "2026-11-27", "currency": "VES", "rate": "245.6712", "source": "bcv"}, follow=True
    )

    assert response.status_code == 200
    rate = ExchangeRate.objects.get()
    assert (rate.date, rate.rate, rate.created_by) == (date(2026, 11, 27), Decimal("245.6712"), admin_user)
    assert len(called) == 1


def test_a_second_rate_for_a_day_is_shown_as_a_form_error(admin_client, admin_user):
    rates.exchange_rate_save(exchange_rate=ExchangeRate(date=date(2026, 11, 27), rate=Decimal("245")), user=admin_user)

    response = admin_client.post(
        ADD_PAGE, {"date": "2026-11-27", "currency": "VES", "rate": "250", "source": "manual"}, follow=True
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert list(ExchangeRate.objects.values_list("rate", flat=True)) == [Decimal("245")]


def test_the_match_page_shows_the_net_saving_and_why_the_requester_declined(admin_client, admin_user):
    fulfilled = MatchFactory(request__quantity=3, status=Match.Status.FULFILLED)
    declined = MatchFactory(status=Match.Status.APPROVED)
    services.match_decline(
        match=declined, user=member_of(declined.request.plant), reason="quality", note="Sin certificado"
    )

    fulfilled_page = admin_client.get(reverse("admin:exchange_match_change", args=[fulfilled.pk])).content.decode()
    declined_page = admin_client.get(reverse("admin:exchange_match_change", args=[declined.pk])).content.decode()

    assert '<div class="readonly">20.00</div>' in fulfilled_page
    assert '<div class="readonly">Quality</div>' in declined_page
    assert "Sin certificado" in declined_page
