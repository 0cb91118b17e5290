from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from inventory.models import Capability, StockItem, StockMovement
from tests.factories import PartFactory, PlantFactory, ShopFactory, stock_item

# The ledger inline's management form, which every change-page post carries.
NO_MOVEMENT_FORMS = {"movements-TOTAL_FORMS": 0, "movements-INITIAL_FORMS": 0}


def test_creating_a_stock_item_records_its_initial_count_in_the_ledger(admin_client):
    plant, part = PlantFactory(), PartFactory()

    response = admin_client.post(
        reverse("admin:inventory_stockitem_add"),
        {
            "plant": plant.pk,
            "part": part.pk,
            "condition": "new",
            "location": "A1",
            "exchangeable": "on",
            "counted_quantity": 7,
        },
    )

    assert response.status_code == 302
    item = StockItem.objects.get(plant=plant, part=part)
    assert item.quantity == 7
    assert list(item.movements.values_list("delta", "reason", "user__username")) == [(7, "count", "admin")]


def test_recording_a_count_goes_through_the_ledger(admin_client):
    item = stock_item(quantity=5, location="B2")
    url = reverse("admin:inventory_stockitem_change", args=[item.pk])

    response = admin_client.post(
        url,
        {
            "plant": item.plant_id,
            "part": item.part_id,
            "condition": "new",
            "location": "B2",
            "exchangeable": "on",
            "counted_quantity": 3,
            "count_note": "Yearly count",
            **NO_MOVEMENT_FORMS,
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.quantity == 3
    assert item.movements.first().delta == -2 and item.movements.first().note == "Yearly count"
    assert item.quantity == sum(item.movements.values_list("delta", flat=True))


def test_quantity_is_not_an_editable_field(admin_client):
    item = stock_item(quantity=5)
    page = admin_client.get(reverse("admin:inventory_stockitem_change", args=[item.pk])).content.decode()

    assert 'name="quantity"' not in page and 'name="reserved"' not in page
    assert 'name="counted_quantity"' in page


def test_a_count_below_the_reserved_units_is_refused(admin_client):
    item = stock_item(quantity=5)
    StockItem.objects.filter(pk=item.pk).update(reserved=4)

    response = admin_client.post(
        reverse("admin:inventory_stockitem_change", args=[item.pk]),
        {
            "plant": item.plant_id,
            "part": item.part_id,
            "condition": "new",
            "location": "",
            "exchangeable": "on",
            "counted_quantity": 2,
            **NO_MOVEMENT_FORMS,
        },
    )

    assert response.status_code == 200
    assert "4 units are reserved" in response.content.decode()
    item.refresh_from_db()
    assert item.quantity == 5


def test_ledger_cannot_be_edited_in_the_admin(admin_client):
    movement = stock_item(quantity=5).movements.get()

    assert admin_client.get(reverse("admin:inventory_stockmovement_add")).status_code == 403
    page = admin_client.get(reverse("admin:inventory_stockmovement_change", args=[movement.pk])).content.decode()
    assert 'name="delta"' not in page
    assert admin_client.post(reverse("admin:inventory_stockmovement_delete", args=[movement.pk])).status_code == 403
    assert StockMovement.objects.filter(pk=movement.pk).exists()


def test_part_search_matches_any_brand_normalized(admin_client):
    bearing = PartFactory(name="Rodamiento", numbers=[("FAG", "6205-2RSR"), ("SKF", "6205-2RS")])
    PartFactory(name="Other")

    for search in ["6205 2rs", "fag 62052RSR", "6205"]:
        response = admin_client.get(reverse("admin:inventory_part_changelist"), {"q": search})
        assert [part.pk for part in response.context["cl"].result_list] == [bearing.pk], search


def test_a_capability_added_in_the_admin_goes_through_the_service(admin_client, django_capture_on_commit_callbacks):
    shop = ShopFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse("admin:inventory_capability_add"),
            {"plant": shop.pk, "process": "turning", "lead_time_days": 10, "best_it_grade": 7},
        )

    assert response.status_code == 302
    assert Capability.objects.get(plant=shop).best_it_grade == 7
    assert callbacks, "the matching engine is told of the new capability"


def exchange_action(admin_client, action, items):
    return admin_client.post(
        reverse("admin:inventory_stockitem_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [item.pk for item in items]},
    )


def exchangeable(*items):
    return [StockItem.objects.get(pk=item.pk).exchangeable for item in items]


def test_the_withdraw_action_takes_only_the_selected_items_off_the_exchange(admin_client):
    selected, left_alone = stock_item(quantity=5), stock_item(quantity=2)

    response = exchange_action(admin_client, "mark_not_exchangeable", [selected])

    assert response.status_code == 302
    assert exchangeable(selected, left_alone) == [False, True]


def test_the_offer_action_puts_only_the_selected_withdrawn_items_back_on_the_exchange(admin_client):
    selected, left_alone = stock_item(quantity=5), stock_item(quantity=2)
    exchange_action(admin_client, "mark_not_exchangeable", [selected, left_alone])

    response = exchange_action(admin_client, "mark_exchangeable", [selected])

    assert response.status_code == 302
    assert exchangeable(selected, left_alone) == [True, False]


def test_a_capability_added_on_the_plant_page_goes_through_the_service(
    admin_client, django_capture_on_commit_callbacks
):
    shop = ShopFactory(name="Tornería Guayana", state="Bolívar")
    url = reverse("admin:inventory_plant_change", args=[shop.pk])
    data = {
        "name": shop.name,
        "kind": shop.kind,
        "ownership": shop.ownership,
        "sector": shop.sector,
        "state": shop.state,
        "city": shop.city,
        "latitude": shop.latitude,
        "longitude": shop.longitude,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "stock_items-TOTAL_FORMS": 0,
        "stock_items-INITIAL_FORMS": 0,
        "capabilities-TOTAL_FORMS": 1,
        "capabilities-INITIAL_FORMS": 0,
        "capabilities-0-process": "gear_cutting",
        "capabilities-0-lead_time_days": 20,
        "capabilities-0-max_diameter_mm": "400",
    }

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(url, data)

    assert response.status_code == 302
    assert Capability.objects.get(plant=shop).process == "gear_cutting"
    assert callbacks, "the matching engine is told of the new capability"


def test_deleting_a_stock_item_with_a_ledger_is_refused(admin_client):
    item = stock_item(quantity=5)

    response = admin_client.post(
        reverse("admin:inventory_stockitem_delete", args=[item.pk]), {"post": "yes"}, follow=True
    )

    assert StockItem.objects.filter(pk=item.pk).exists()
    assert "Cannot delete stock item" in response.content.decode()
