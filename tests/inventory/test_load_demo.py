import pytest
from django.apps import apps
from django.core.management import call_command

from inventory import access
from inventory import services as inventory_services
from inventory.models import Material, Part
from inventory.selectors import part_find_by_number


def table_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    first = table_counts()
    output = capsys.readouterr().out

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")

    assert table_counts() == first
    assert first["inventory.Plant"] >= 24
    assert first["exchange.PartRequest"] >= 10
    assert first["exchange.Match"] > 0
    for login in ("admin / admin-demo-2026", "planta / planta-demo-2026", "taller / taller-demo-2026"):
        assert login in output


@pytest.mark.django_db
def test_load_demo_on_a_catalogue_that_already_names_some_demo_parts(capsys, django_capture_on_commit_callbacks):
    # given a catalogue where one brand's number of the demo bearing names a part of its own, and a material
    # and a workshop's capability the operator recorded before
    part = inventory_services.part_create(
        name="Rodamiento 6205", numbers=[inventory_services.NumberSpec("generic", "6205-2RS")], user=access.SYSTEM
    )
    steel = inventory_services.material_create(
        name="Acero 1045", family="carbon_steel", designations=["AISI 1045"], user=access.SYSTEM
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")

    # then the demo is loaded around them: their numbers still name them, the demo's other numbers its own parts
    assert part_find_by_number("6205-2RS") == part
    assert Material.objects.filter(designations__normalized="AISI1045").get() == steel
    assert Part.objects.get(numbers__normalized="MBEJE080600").material == steel
    assert "admin / admin-demo-2026" in capsys.readouterr().out
