from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from exchange.catalogue import part_merge
from exchange.models import Match, PartRequest
from inventory.errors import ConflictError
from inventory.models import Part, PartNumber, StockItem, StockMovement
from tests.factories import MatchFactory, PartFactory, PlantFactory, UserFactory, stock_item

CHANGELIST = reverse("admin:inventory_part_changelist")


def test_merge_moves_numbers_stock_requests_and_matches_onto_the_kept_part(admin_client):
    # given: the same bearing entered twice, each with stock and a request with its match
    kept = PartFactory(name="Bearing 6205", numbers=[("SKF", "6205-2RS")], import_price_usd=None)
    duplicate = PartFactory(name="Rodamiento 6205", numbers=[("FAG", "6205-2RSR"), ("SKF", "6205 2RS")])
    match = MatchFactory(request__part=duplicate)
    moved_item = match.stock_item

    # when: the administrator picks the part to keep on the intermediate page
    page = admin_client.post(CHANGELIST, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [kept.pk, duplicate.pk]})
    assert b'name="keep"' in page.content
    response = admin_client.post(
        CHANGELIST,
        {"action": "merge_selected", ACTION_CHECKBOX_NAME: [kept.pk, duplicate.pk], "keep": kept.pk},
        follow=True,
    )

    # then
    assert not Part.objects.filter(pk=duplicate.pk).exists()
    assert sorted(kept.numbers.values_list("brand", "normalized")) == [("FAG", "62052RSR"), ("SKF", "62052RS")]
    moved_item.refresh_from_db()
    assert moved_item.part == kept
    assert moved_item.quantity == sum(moved_item.movements.values_list("delta", flat=True))
    assert PartRequest.objects.get(pk=match.request_id).part == kept
    assert Match.objects.get(pk=match.pk).stock_item.part == kept
    kept.refresh_from_db()
    assert kept.import_price_usd == Decimal("40.00")
    assert "Merged into Bearing 6205" in [str(message) for message in response.context["messages"]][0]


def test_merge_refuses_two_stock_items_that_would_become_one_and_changes_nothing(admin_user):
    plant = PlantFactory()
    kept, duplicate = PartFactory(), PartFactory()
    stock_item(plant=plant, part=kept, quantity=3, location="A1")
    conflicting = stock_item(plant=plant, part=duplicate, quantity=2, location="A1")

    with pytest.raises(ConflictError, match="would become one"):
        part_merge(keep=kept, duplicates=[kept, duplicate], user=admin_user)

    assert Part.objects.filter(pk=duplicate.pk).exists()
    assert StockItem.objects.get(pk=conflicting.pk).part == duplicate
    assert PartNumber.objects.filter(part=duplicate).count() == 1
    assert StockMovement.objects.filter(stock_item=conflicting).count() == 1


def test_merge_refusal_is_shown_as_a_message(admin_client):
    plant = PlantFactory()
    kept, duplicate = PartFactory(), PartFactory()
    stock_item(plant=plant, part=kept, location="A1")
    stock_item(plant=plant, part=duplicate, location="A1")

    response = admin_client.post(
        CHANGELIST,
        {"action": "merge_selected", ACTION_CHECKBOX_NAME: [kept.pk, duplicate.pk], "keep": kept.pk},
        follow=True,
    )

    assert "would become one" in [str(message) for message in response.context["messages"]][0]
    assert Part.objects.filter(pk=duplicate.pk).exists()


def test_only_administrators_may_merge(db):
    kept, duplicate = PartFactory(), PartFactory()

    with pytest.raises(Exception, match="administrators"):
        part_merge(keep=kept, duplicates=[duplicate], user=UserFactory())
