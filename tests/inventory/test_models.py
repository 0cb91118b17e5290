import pytest
from django.db import IntegrityError, transaction

from inventory.models import Capability, Part, StockItem, StockMovement
from tests.factories import PartFactory, PlantFactory, stock_item


def assert_refused_by_database(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.django_db
def test_database_refuses_negative_quantity_and_reserved_above_quantity():
    item = stock_item(quantity=2)

    assert_refused_by_database(lambda: StockItem.objects.filter(pk=item.pk).update(reserved=3))
    assert_refused_by_database(lambda: StockItem.objects.filter(pk=item.pk).update(reserved=-1))
    assert_refused_by_database(lambda: StockItem.objects.filter(pk=item.pk).update(quantity=-1))


@pytest.mark.django_db
def test_database_refuses_a_second_item_for_the_same_plant_part_condition_and_location():
    item = stock_item(quantity=1, location="A1")

    assert_refused_by_database(
        lambda: StockItem.objects.create(plant=item.plant, part=item.part, condition=item.condition, location="A1")
    )


@pytest.mark.django_db
def test_database_refuses_it_grades_outside_1_to_18_and_non_positive_envelopes():
    part = PartFactory()
    assert_refused_by_database(lambda: Part.objects.filter(pk=part.pk).update(it_grade=19))
    assert_refused_by_database(lambda: Part.objects.filter(pk=part.pk).update(it_grade=0))
    assert_refused_by_database(lambda: Part.objects.filter(pk=part.pk).update(diameter_mm=0))
    assert_refused_by_database(lambda: Part.objects.filter(pk=part.pk).update(weight_kg=-2))
    plant = PlantFactory()
    assert_refused_by_database(lambda: Capability.objects.create(plant=plant, process="turning", best_it_grade=25))
    assert_refused_by_database(lambda: Capability.objects.create(plant=plant, process="milling", max_length_mm=-5))


@pytest.mark.django_db
def test_database_refuses_a_zero_movement():
    item = stock_item(quantity=1)
    assert_refused_by_database(lambda: StockMovement.objects.create(stock_item=item, delta=0, reason="count"))
