import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from inventory.models import Material
from tests.journeys import api_calls, run_journeys
from tests.world import client_for


def table_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_every_call_of_the_journeys_states_its_status():
    variables, calls = api_calls()

    assert {"PLANTA", "TALLER", "OCCIDENTE", "ADMIN"} <= set(variables)
    assert len(calls) >= 40
    assert {call.status for call in calls} >= {200, 201, 409}


@pytest.fixture
def fresh_demo(settings, media_root):
    """load_demo on a database with fresh ids, as `make run` on a new one: the page's examples name those ids."""
    settings.LANGUAGE_CODE = "es"
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_journeys_run_as_written_on_a_fresh_demo(fresh_demo):
    wrong = run_journeys(client_for(None))

    assert wrong == [], "\n".join(
        f"{call}: answered {status}, docs say {call.status}: {body}" for call, status, body in wrong
    )


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_load_demo_after_the_journeys_and_edits_of_its_data_adds_nothing(fresh_demo):
    # given the journeys, then edits an administrator may make to the demo's own rows
    run_journeys(client_for(None))
    admin = client_for(get_user_model().objects.get(username="admin"))
    edits = [
        # the bearing keeps two of its numbers: the demo stock's "6205-2RSH" no longer names a part
        admin.patch(
            "/api/parts/11/",
            {"numbers": [{"brand": "SKF", "number": "6205-2RS"}, {"brand": "FAG", "number": "6205-2RSR"}]},
            format="json",
        ),
        # a demo shaft's number moves to another part
        admin.patch("/api/parts/52/", {"numbers": []}, format="json"),
        admin.patch(
            "/api/parts/53/",
            {"numbers": [{"brand": "LG", "number": "LG-TP-320"}, {"brand": "MB", "number": "MB-EJE-080-600"}]},
            format="json",
        ),
        admin.patch("/api/stock/3/", {"location": "Almacén norte", "quantity": 1}, format="json"),
        admin.patch("/api/capabilities/7/", {"materials": [2], "lead_time_days": 30}, format="json"),
        admin.post("/api/memberships/", {"user": "planta", "plant": 2, "role": "member"}, format="json"),
    ]
    assert [response.status_code for response in edits] == [200] * len(edits), [e.content[:200] for e in edits]
    Material.objects.filter(name="Acero al carbono 1045").update(name="Acero AISI 1045")
    before = table_counts()

    # when
    call_command("load_demo", stdout=io.StringIO())

    # then
    assert table_counts() == before
