"""The inventory admin writes through inventory.services, like the API: each page's save is one of their calls."""

import pytest
from django.urls import reverse

from inventory import services
from inventory.models import Material, Membership, Part, Plant
from tests.factories import MembershipFactory, PartFactory, UserFactory

EMPTY_PLANT_INLINES = {
    "memberships-TOTAL_FORMS": 0,
    "memberships-INITIAL_FORMS": 0,
    "capabilities-TOTAL_FORMS": 0,
    "capabilities-INITIAL_FORMS": 0,
    "stock_items-TOTAL_FORMS": 0,
    "stock_items-INITIAL_FORMS": 0,
}


@pytest.fixture
def calls(monkeypatch):
    """The names of the services the admin called, in order; each still runs."""
    called = []
    for name in [
        "plant_create",
        "plant_update",
        "plant_delete",
        "membership_create",
        "membership_delete",
        "material_create",
        "material_update",
        "part_create",
        "part_update",
        "part_delete",
    ]:
        original = getattr(services, name)

        def spy(*args, _name=name, _original=original, **kwargs):
            called.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(services, name, spy)
    return called


def test_a_plant_and_its_first_member_are_added_through_the_services(admin_client, calls):
    member = UserFactory()
    data = {
        "name": "Tornería Guayana",
        "kind": "machine_shop",
        "ownership": "private",
        "state": "Bolívar",
        **EMPTY_PLANT_INLINES,
        "memberships-TOTAL_FORMS": 1,
        "memberships-0-user": member.pk,
        "memberships-0-role": "manager",
    }

    response = admin_client.post(reverse("admin:inventory_plant_add"), data)

    assert response.status_code == 302, response.content.decode()
    plant = Plant.objects.get(name="Tornería Guayana")
    assert list(plant.memberships.values_list("user", "role")) == [(member.pk, "manager")]
    assert calls == ["plant_create", "membership_create"]


def test_a_member_removed_on_the_plant_page_leaves_through_the_service(admin_client, calls):
    membership = MembershipFactory()
    plant = membership.plant
    data = {
        "name": plant.name,
        "kind": plant.kind,
        "ownership": plant.ownership,
        "sector": plant.sector,
        "state": plant.state,
        "city": "Maracay",
        **EMPTY_PLANT_INLINES,
        "memberships-TOTAL_FORMS": 1,
        "memberships-INITIAL_FORMS": 1,
        "memberships-0-id": membership.pk,
        "memberships-0-plant": plant.pk,
        "memberships-0-user": membership.user_id,
        "memberships-0-role": "member",
        "memberships-0-DELETE": "on",
    }

    response = admin_client.post(reverse("admin:inventory_plant_change", args=[plant.pk]), data)

    assert response.status_code == 302, response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Plant.objects.get(pk=plant.pk).city == "Maracay"
    assert calls == ["plant_update", "membership_delete"]


def test_a_membership_page_changes_the_role_and_deletes_through_the_services(admin_client, calls):
    membership = MembershipFactory()
    url = reverse("admin:inventory_membership_change", args=[membership.pk])

    response = admin_client.post(url, {"role": "manager"})
    admin_client.post(reverse("admin:inventory_membership_delete", args=[membership.pk]), {"post": "yes"})

    assert response.status_code == 302, response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert calls == ["membership_create", "membership_delete"]


def test_a_part_is_added_and_renumbered_with_its_numbers_in_one_call(admin_client, calls):
    numbers = {"numbers-TOTAL_FORMS": 1, "numbers-INITIAL_FORMS": 0}
    response = admin_client.post(
        reverse("admin:inventory_part_add"),
        {"name": "Eje", "numbers-0-brand": "SKF", "numbers-0-number": "6205-2RS", **numbers},
    )
    assert response.status_code == 302, response.content.decode()
    part = Part.objects.get(name="Eje")
    assert list(part.numbers.values_list("brand", "normalized")) == [("SKF", "62052RS")]

    number = part.numbers.get()
    response = admin_client.post(
        reverse("admin:inventory_part_change", args=[part.pk]),
        {
            "name": "Eje",
            "category": "shaft",
            "numbers-TOTAL_FORMS": 2,
            "numbers-INITIAL_FORMS": 1,
            "numbers-0-id": number.pk,
            "numbers-0-part": part.pk,
            "numbers-0-brand": "SKF",
            "numbers-0-number": "6205-2RS",
            "numbers-0-DELETE": "on",
            "numbers-1-part": part.pk,
            "numbers-1-brand": "FAG",
            "numbers-1-number": "6205-2RSR",
        },
    )

    assert response.status_code == 302, response.content.decode()
    part.refresh_from_db()
    assert part.category == "shaft"
    assert list(part.numbers.values_list("brand", "normalized")) == [("FAG", "62052RSR")]
    assert calls == ["part_create", "part_update"]


def test_a_material_is_added_and_renamed_through_the_services(admin_client, calls):
    designations = {"designations-TOTAL_FORMS": 1, "designations-INITIAL_FORMS": 0}
    response = admin_client.post(
        reverse("admin:inventory_material_add"),
        {"name": "AISI 1045", "family": "carbon_steel", "designations-0-designation": "C45", **designations},
    )
    assert response.status_code == 302, response.content.decode()
    material = Material.objects.get(name="AISI 1045")
    assert list(material.designations.values_list("normalized", flat=True)) == ["C45"]

    designation = material.designations.get()
    response = admin_client.post(
        reverse("admin:inventory_material_change", args=[material.pk]),
        {
            "name": "AISI 1045 (C45)",
            "family": "carbon_steel",
            "designations-TOTAL_FORMS": 1,
            "designations-INITIAL_FORMS": 1,
            "designations-0-id": designation.pk,
            "designations-0-material": material.pk,
            "designations-0-designation": "C45",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert Material.objects.get(pk=material.pk).name == "AISI 1045 (C45)"
    assert list(material.designations.values_list("pk", flat=True)) == [designation.pk]
    assert calls == ["material_create", "material_update"]


def test_the_delete_action_goes_through_the_services(admin_client, calls):
    parts = [PartFactory(), PartFactory()]

    response = admin_client.post(
        reverse("admin:inventory_part_changelist"),
        {"action": "delete_selected", "_selected_action": [part.pk for part in parts], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Part.objects.filter(pk__in=[part.pk for part in parts]).exists()
    assert calls == ["part_delete", "part_delete"]
