"""build_national_dataset at a thousandth of the national size (PostgreSQL: it loads with COPY)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Max, Sum

from exchange import engine
from exchange.models import Match, PartRequest
from inventory.models import Capability, Part, PartNumber, Plant, StockItem
from tests.conftest import requires_postgres
from tests.factories import PartFactory, PlantFactory, stock_item

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

# Mainland Venezuela with its islands; each plant sits within 0.4 degrees of a real city.
LATITUDES, LONGITUDES = (0.6, 12.6), (-73.5, -59.7)


@pytest.fixture
def small_country():
    call_command("build_national_dataset", scale=0.001, verbosity=0)


def test_the_small_country_has_the_national_proportions(small_country):
    kinds = dict(Plant.objects.values_list("kind").annotate(count=Count("id")))
    assert kinds == {Plant.Kind.PLANT: 1, Plant.Kind.MACHINE_SHOP: 2}
    assert (Part.objects.count(), PartNumber.objects.count()) == (200, 500)
    assert (StockItem.objects.count(), Capability.objects.count(), PartRequest.objects.count()) == (1000, 20, 50)


def test_every_plant_lies_inside_venezuela(small_country):
    for latitude, longitude in Plant.objects.values_list("latitude", "longitude"):
        assert LATITUDES[0] <= latitude <= LATITUDES[1] and LONGITUDES[0] <= longitude <= LONGITUDES[1]


def test_every_request_is_open_and_names_a_part_by_one_of_its_numbers_or_describes_it(small_country):
    requests = PartRequest.objects.all()
    assert {request.status for request in requests} == {PartRequest.Status.OPEN}
    for request in requests:
        assert request.quantity >= 1 and request.processes == sorted(request.processes)
        if request.part_id is None:
            assert request.description and not request.number
        else:
            assert request.number in set(request.part.numbers.values_list("number", flat=True))
    assert requests.filter(part__isnull=False).count() > requests.count() * 0.8


def test_every_stock_quantity_is_the_sum_of_its_ledger(small_country):
    ledgers = StockItem.objects.annotate(ledger=Sum("movements__delta")).values_list("quantity", "ledger")
    assert all(quantity == ledger for quantity, ledger in ledgers)


def test_about_three_parts_in_ten_share_a_number_with_parts_of_other_brands(small_country):
    shared = (
        PartNumber.objects.values("normalized")
        .annotate(parts=Count("part", distinct=True), brands=Count("brand", distinct=True))
        .filter(parts__gt=1)
    )
    # Groups of two to four parts, each writing the number in its own brand.
    assert shared and all(2 <= group["parts"] <= 4 and group["brands"] == group["parts"] for group in shared)
    sharing = PartNumber.objects.filter(normalized__in=[group["normalized"] for group in shared])
    share = sharing.values("part").distinct().count() / Part.objects.count()
    assert 0.15 <= share <= 0.45
    for group in shared:
        categories = Part.objects.filter(numbers__normalized=group["normalized"]).values("category").distinct()
        assert categories.count() == 1


def test_the_engine_proposes_only_feasible_sources_for_the_loaded_requests(small_country):
    for request_id in PartRequest.objects.values_list("id", flat=True):
        engine.part_request_match(part_request_id=request_id)

    matches = Match.objects.select_related("request", "stock_item")
    assert matches.values("request").distinct().count() >= 10
    per_request = matches.values("request").annotate(count=Count("id")).aggregate(most=Max("count"))["most"]
    assert per_request <= settings.MATCHING_TOP_N
    for match in matches:
        assert (match.status, match.origin) == (Match.Status.PROPOSED, Match.Origin.ENGINE)
        assert 0 <= match.score <= 1 and match.summary
        if match.source == Match.Source.STOCK:
            item, request = match.stock_item, match.request
            assert item.exchangeable and 1 <= match.quantity <= item.quantity - item.reserved
            requested = set(request.part.numbers.values_list("normalized", flat=True))
            assert requested & set(item.part.numbers.values_list("normalized", flat=True))
        else:
            held = set(Capability.objects.filter(plant=match.source_plant).values_list("process", flat=True))
            assert set(match.request.processes) <= held


def test_rows_added_after_the_load_get_fresh_ids(small_country):
    plant = PlantFactory()
    item = stock_item(plant=plant, part=PartFactory())

    assert plant.pk > 3 and item.part_id > 200 and item.pk > 1000
