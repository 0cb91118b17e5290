"""build_national_dataset at a thousandth of the national size (PostgreSQL: it loads with COPY)."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from exchange import engine
from exchange.models import Match, PartRequest
from inventory.models import Capability, Part, PartNumber, Plant, StockItem
from tests.conftest import requires_postgres
from tests.factories import PlantFactory

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_country():
    call_command("build_national_dataset", scale=0.001, verbosity=0)


def test_the_small_country_has_the_national_proportions(small_country):
    assert (Plant.objects.count(), Part.objects.count(), PartNumber.objects.count()) == (3, 200, 500)
    assert (StockItem.objects.count(), Capability.objects.count(), PartRequest.objects.count()) == (1000, 20, 50)


def test_every_stock_quantity_is_the_sum_of_its_ledger(small_country):
    ledgers = StockItem.objects.annotate(ledger=Sum("movements__delta")).values_list("quantity", "ledger")
    assert all(quantity == ledger for quantity, ledger in ledgers)


def test_some_parts_share_a_number_across_brands(small_country):
    shared = PartNumber.objects.values("normalized").annotate(parts=Count("part", distinct=True)).filter(parts__gt=1)
    assert shared.exists()


def test_the_engine_matches_the_loaded_requests_and_new_rows_get_fresh_ids(small_country):
    for request_id in PartRequest.objects.values_list("id", flat=True):
        engine.part_request_match(part_request_id=request_id)

    assert Match.objects.exists()
    assert PlantFactory().pk > 3
