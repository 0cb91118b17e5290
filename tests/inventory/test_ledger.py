import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from inventory import services
from inventory.access import SYSTEM
from inventory.errors import ConflictError, InsufficientStock
from inventory.models import Capability, Part, StockItem, StockMovement
from tests.factories import PartFactory, PlantFactory, stock_item


def ledger_sum(item):
    return StockMovement.objects.filter(stock_item=item).aggregate(total=Sum("delta"))["total"] or 0


@pytest.mark.django_db
def test_creating_stock_records_its_count_in_the_ledger():
    item = stock_item(quantity=7)

    assert item.quantity == 7
    assert list(item.movements.values_list("delta", "reason")) == [(7, "count")]


@pytest.mark.django_db
def test_the_ledger_sum_equals_the_quantity_after_every_kind_of_change():
    item = stock_item(quantity=10)

    services.stock_adjust(user=SYSTEM, stock_item=item, delta=-3, reason=StockMovement.Reason.ADJUSTMENT)
    services.stock_set_quantity(user=SYSTEM, stock_item=item, quantity=12)
    services.stock_reserve(stock_item_id=item.pk, quantity=4)
    services.stock_release(stock_item_id=item.pk, quantity=1)
    services.stock_transfer_out(stock_item_id=item.pk, quantity=3, match=99, user=SYSTEM)

    item.refresh_from_db()
    assert (item.quantity, item.reserved) == (9, 0)
    assert ledger_sum(item) == item.quantity
    assert item.movements.filter(reason="transfer_out", match=99).count() == 1


@pytest.mark.django_db
def test_a_count_below_what_is_reserved_is_refused_and_changes_nothing():
    item = stock_item(quantity=5)
    services.stock_reserve(stock_item_id=item.pk, quantity=4)

    with pytest.raises(InsufficientStock):
        services.stock_set_quantity(user=SYSTEM, stock_item=item, quantity=3)

    item.refresh_from_db()
    assert (item.quantity, item.reserved, ledger_sum(item)) == (5, 4, 5)


@pytest.mark.django_db
def test_reserving_more_than_is_available_is_refused():
    item = stock_item(quantity=2)

    with pytest.raises(InsufficientStock):
        services.stock_reserve(stock_item_id=item.pk, quantity=3)
    item.refresh_from_db()
    assert item.reserved == 0


@pytest.mark.django_db
def test_negative_counts_are_refused():
    with pytest.raises(ConflictError):
        stock_item(quantity=-1)


@pytest.mark.django_db
def test_an_item_with_history_cannot_be_deleted():
    item = stock_item(quantity=1)
    with pytest.raises(ConflictError):
        services.stock_item_delete(user=SYSTEM, stock_item=item)


# The database itself refuses what the services would never write.


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
