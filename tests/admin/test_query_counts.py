import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
    source_plant, requester = ShopFactory(), PlantFactory()

    def add(count):
        for _ in range(count):
            MatchFactory(source_plant=source_plant, request__plant=requester)

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
