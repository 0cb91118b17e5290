"""SPEC "Urgency" in the admin: the review queue's order, the request list's column, the dashboard's dollars."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from exchange.models import Criticality
from tests.factories import MatchFactory


def stopped_match(*, days, usd_per_day=None):
    return MatchFactory(
        request__criticality=Criticality.PRODUCTION_STOPPED,
        request__stopped_since=timezone.localdate() - timedelta(days=days),
        request__downtime_usd_per_day=usd_per_day,
    )


def test_the_queue_puts_the_costliest_stopped_line_first_not_the_longest_stopped(admin_client):
    long_and_cheap = stopped_match(days=9, usd_per_day=Decimal("1"))
    short_and_dear = stopped_match(days=2, usd_per_day=Decimal("400"))
    days_only = stopped_match(days=30)
    degraded = MatchFactory(request__criticality=Criticality.DEGRADED)

    response = admin_client.get(reverse("admin:exchange_match_changelist"))

    listed = [match.pk for match in response.context["cl"].result_list]
    assert listed == [short_and_dear.pk, days_only.pk, long_and_cheap.pk, degraded.pk]


def test_the_request_list_and_page_show_the_days_stopped_and_their_cost(admin_client):
    match = stopped_match(days=4, usd_per_day=Decimal("1250.50"))

    listing = admin_client.get(reverse("admin:exchange_partrequest_changelist")).content.decode()
    page = admin_client.get(reverse("admin:exchange_partrequest_change", args=[match.request_id])).content.decode()

    for shown in (listing, page):
        assert "4 days · 5,002.00 USD" in shown
    assert "Cost of a day stopped (USD)" in page and "Production stopped since" in page


def test_the_dashboard_shows_the_dollars_lost_to_open_stopped_lines(admin_client):
    stopped_match(days=4, usd_per_day=Decimal("1250.50"))
    stopped_match(days=2, usd_per_day=Decimal("100"))
    stopped_match(days=7)

    page = admin_client.get(reverse("admin:exchange_dashboard")).content.decode()

    assert '<p id="stopped-downtime-usd" style="font-size: 2em; margin: 10px;">5,202.00 USD</p>' in page
    assert "3 open shortages stop production; 1 without a date or a cost of a day stopped, not counted." in page
