from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchange.models import Criticality, Match
from inventory.changelists import CappedChangeListMixin
from tests.factories import MatchFactory, PlantFactory, ShopFactory

# Each proposal brings a part, a stock item with its ledger row, a request and a match: a row in every list.
CHANGELISTS = [
    "admin:exchange_match_changelist",
    "admin:exchange_partrequest_changelist",
    "admin:inventory_stockitem_changelist",
    "admin:inventory_stockmovement_changelist",
    "admin:inventory_part_changelist",
]


@pytest.fixture
def add_proposals(db):
    """Every other proposal fills every column: a line stopped since a date at a cost a day, a quote."""
    source_plant, requester = ShopFactory(), PlantFactory()

    def add(count):
        for index in range(count):
            if index % 2:
                MatchFactory(source_plant=source_plant, request__plant=requester)
                continue
            match = MatchFactory(
                source_plant=source_plant,
                request__plant=requester,
                request__criticality=Criticality.PRODUCTION_STOPPED,
                request__stopped_since=date.today() - timedelta(days=3),
                request__downtime_usd_per_day=Decimal("250"),
            )
            Match.objects.filter(pk=match.pk).update(
                quote_price=Decimal("80"), quote_currency="USD", quote_lead_time_days=4, quoted_at=timezone.now()
            )

    return add


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_changelist_costs_the_same_queries_for_5_and_40_rows(
    admin_client, add_proposals, django_assert_max_num_queries, changelist
):
    url = reverse(changelist)
    add_proposals(5)
    with CaptureQueriesContext(connection) as five_rows:
        assert admin_client.get(url).status_code == 200

    add_proposals(35)
    with django_assert_max_num_queries(len(five_rows)):
        response = admin_client.get(url)

    assert len(response.context["cl"].result_list) >= 40


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_a_page_of_a_longer_list_costs_the_same_queries_for_3_and_8_rows(
    admin_client, add_proposals, django_assert_max_num_queries, monkeypatch, changelist
):
    # A list longer than a page reads its page through the paginator, in the columns the list names; sorted on
    # its first column, the review queue reads it in one query too, not one per urgency group.
    url = reverse(changelist)
    add_proposals(10)
    monkeypatch.setattr(CappedChangeListMixin, "list_per_page", 3)
    with CaptureQueriesContext(connection) as three_rows:
        assert len(admin_client.get(url, {"o": "0"}).context["cl"].result_list) == 3

    monkeypatch.setattr(CappedChangeListMixin, "list_per_page", 8)
    with django_assert_max_num_queries(len(three_rows)):
        response = admin_client.get(url, {"o": "0"})

    assert len(response.context["cl"].result_list) == 8
