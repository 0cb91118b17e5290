"""Every changelist counts up to a limit, not the whole table, and pages up to it (inventory.changelists)."""

from datetime import timedelta

import pytest
from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from inventory.changelists import CappedChangeListMixin, CappedCountPaginator
from inventory.models import StockMovement
from tests.factories import PartFactory, PlantFactory, stock_item

STOCK_ITEMS = reverse("admin:inventory_stockitem_changelist")
LEDGER = reverse("admin:inventory_stockmovement_changelist")


@pytest.fixture
def limit_of_3_and_pages_of_2(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "COUNT_LIMIT", 3)
    monkeypatch.setattr(CappedChangeListMixin, "list_per_page", 2)


def test_a_list_beyond_the_limit_says_there_are_more_and_asks_to_narrow_it(admin_client, limit_of_3_and_pages_of_2):
    for _ in range(6):
        stock_item()

    page = admin_client.get(STOCK_ITEMS, headers={"accept-language": "es"}).content.decode()

    assert "Más de 3 existencias: acote la lista con los filtros" in page
    assert "6 existencias" not in page
    assert "Seleccionar todas las páginas" in page


def test_a_list_beyond_the_limit_offers_the_pages_up_to_it_and_no_further(admin_client, limit_of_3_and_pages_of_2):
    for _ in range(6):
        stock_item()

    first = admin_client.get(STOCK_ITEMS)
    beyond = admin_client.get(STOCK_ITEMS, {"p": 3})

    assert first.context["cl"].paginator.num_pages == 2
    assert len(admin_client.get(STOCK_ITEMS, {"p": 2}).context["cl"].result_list) == 2
    assert beyond.status_code == 302 and beyond.url.endswith("?e=1")


def test_a_search_beyond_the_limit_says_it_found_more(admin_client, limit_of_3_and_pages_of_2):
    plant = PlantFactory(name="Sidor")
    for _ in range(5):
        stock_item(plant=plant)

    page = admin_client.get(STOCK_ITEMS, {"q": "sidor"}).content.decode()

    assert "more than 3 results" in page
    assert "4 results" not in page


def test_a_list_within_the_limit_says_how_many_it_holds(admin_client, limit_of_3_and_pages_of_2):
    for _ in range(3):
        stock_item()

    page = admin_client.get(STOCK_ITEMS).content.decode()

    assert "3 stock items" in page
    assert "More than" not in page


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:auth_group_changelist",
        "admin:auth_user_changelist",
        "admin:knox_authtoken_changelist",
        "admin:exchange_notification_changelist",
        "admin:exchange_exchangerate_changelist",
        "admin:exchange_clearance_changelist",
        "admin:inventory_capability_changelist",
        "admin:inventory_interchange_changelist",
        "admin:inventory_material_changelist",
        "admin:inventory_membership_changelist",
        "admin:inventory_plant_changelist",
    ],
)
def test_every_changelist_counts_with_the_capped_paginator(admin_client, changelist):
    response = admin_client.get(reverse(changelist))

    assert isinstance(response.context["cl"].paginator, CappedCountPaginator)
    assert response.context["cl"].full_result_count is None


def test_each_row_can_be_selected_with_the_markup_of_djangos_own_checkbox(admin_client):
    item = stock_item()
    django_checkbox = forms.CheckboxInput(
        {"class": "action-select", "aria-label": f"Select this object for an action - {item}"}, lambda value: False
    ).render(ACTION_CHECKBOX_NAME, str(item.pk))

    page = admin_client.get(STOCK_ITEMS).content.decode()

    assert django_checkbox in page


def test_the_ledger_is_filtered_by_date_ranges(admin_client):
    recent, old = stock_item(), stock_item()
    StockMovement.objects.filter(stock_item=old).update(at=timezone.now() - timedelta(days=40))
    changelist = admin_client.get(LEDGER).context["cl"]
    dates = next(spec for spec in changelist.filter_specs if spec.title == "at")

    past_week = next(choice for choice in dates.choices(changelist) if choice["display"] == "Past 7 days")
    listed = admin_client.get(LEDGER + past_week["query_string"]).context["cl"].result_list

    assert [movement.stock_item_id for movement in listed] == [recent.pk]


def test_parts_are_filtered_by_the_categories_the_catalogue_holds(admin_client):
    PartFactory(category="seal"), PartFactory(category="")
    bearing = PartFactory(category="bearing")
    parts = reverse("admin:inventory_part_changelist")

    response = admin_client.get(parts, {"category": "bearing"})

    choices = [choice["display"] for choice in response.context["cl"].filter_specs[0].choices(response.context["cl"])]
    assert choices == ["All", "bearing", "seal"]
    assert list(response.context["cl"].result_list) == [bearing]


def test_plants_are_filtered_by_state(admin_client):
    in_lara = PlantFactory(state="Lara")
    PlantFactory(state="Zulia")

    listed = admin_client.get(reverse("admin:inventory_plant_changelist"), {"state": "Lara"}).context["cl"].result_list

    assert list(listed) == [in_lara]
