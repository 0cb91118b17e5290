import pytest
from django.apps import apps
from django.core.management import call_command


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
