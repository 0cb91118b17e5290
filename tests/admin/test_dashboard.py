from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from exchange import savings
from exchange.models import Criticality, Match
from tests.factories import MatchFactory


def test_dashboard_figures_equal_the_savings_service(admin_client, admin_user):
    # given: savings in two months, two open shortages and one proposal waiting
    earlier = MatchFactory(status__admin=admin_user, request__quantity=2, status=Match.Status.FULFILLED)
    Match.objects.filter(pk=earlier.pk).update(fulfilled_at=timezone.now() - timedelta(days=62))
    MatchFactory(status__admin=admin_user, request__quantity=3, status=Match.Status.FULFILLED)
    waiting = MatchFactory(request__criticality=Criticality.PRODUCTION_STOPPED)
    Match.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=4))
    MatchFactory(request__criticality=Criticality.PREVENTIVE)

    # when
    response = admin_client.get(reverse("admin:exchange_dashboard"))

    # then
    summary = savings.savings_summary()
    context = response.context
    assert context["usd_avoided_total"] == summary["usd_avoided_total"] == Decimal("200.00")
    # Each source quoted 100 USD: 80 avoided less 100 paid, then 120 avoided less 100 paid.
    assert context["usd_net_total"] == summary["usd_net_total"] == Decimal("0.00")
    assert [row["usd_net"] for row in context["usd_avoided_by_month"]] == [Decimal("-20.00"), Decimal("20.00")]
    assert context["usd_avoided_by_month"] == summary["usd_avoided_by_month"]
    assert len(context["usd_avoided_by_month"]) == 2
    assert dict(context["open_by_criticality"]) == {"Production stopped": 1, "Degraded": 0, "Preventive": 1}
    assert context["proposals_awaiting_review"] == 2
    assert (timezone.now() - context["oldest_proposal_at"]).days == 4
    assert "4\xa0days" in response.content.decode()
    assert context["states_with_most_open_requests"] == [{"state": "Carabobo", "count": 2}]
    page = response.content.decode()
    # A gross and a net bar for each of the two months, and the legend's two swatches.
    assert page.count("<rect ") == 6
    assert "(net): -20.00 USD</title>" in page
    assert "<script" not in page.split('id="content-main"')[1]


def test_dashboard_with_nothing_yet_says_so(admin_client):
    response = admin_client.get(reverse("admin:exchange_dashboard"))

    assert response.status_code == 200
    assert "Nothing fulfilled yet." in response.content.decode()
