"""The clearance's pages: the button on the shortage's page, /verify/<serial>/ for anyone, /transparency/ for members."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exchange import clearances
from exchange import services as exchange_services
from exchange.models import Clearance, DeclineReason, PartRequest
from exchange.savings import exchange_stats
from exchange.transparency import plant_figures_table

from .conftest import signed_in


def posted_days_ago(part_request, days):
    PartRequest.objects.filter(pk=part_request.pk).update(created_at=timezone.now() - timedelta(days=days))
    part_request.refresh_from_db()


@pytest.fixture
def clearable(world):
    posted_days_ago(world.request, 4)
    exchange_services.match_reject(match=world.match, user=world.users["admin"], reason="Rodamiento dañado")
    return world


def granted(world, note="Sin fuente nacional") -> Clearance:
    clearance = clearances.clearance_ask(part_request=world.request, user=world.users["owner"])
    return clearances.clearance_grant(clearance=clearance, user=world.users["admin"], note=note)


def page(client, path):
    response = client.get(path)
    return response, response.content.decode()


def test_the_requester_asks_for_a_clearance_from_its_shortages_page(clearable):
    owner = signed_in(clearable.users["owner"])
    _, before = page(owner, f"/requests/{clearable.request.pk}/")

    response = owner.post(f"/requests/{clearable.request.pk}/clearance/", follow=True)

    clearance = Clearance.objects.get(request=clearable.request)
    assert "Pedir constancia de no disponibilidad nacional" in before
    assert response.status_code == 200
    assert f"Constancia {clearance.serial} pedida" in response.content.decode()
    assert "Solicitada" in response.content.decode()
    # Asked once: the button is gone until an administrator refuses it.
    assert "Pedir constancia de no disponibilidad nacional" not in response.content.decode()


def test_asking_too_early_shows_the_reason_in_spanish_and_creates_nothing(world):
    owner = signed_in(world.users["owner"])

    response = owner.post(f"/requests/{world.request.pk}/clearance/")

    assert response.status_code == 409
    assert "La solicitud lleva 0 días abierta" in response.content.decode()
    assert not Clearance.objects.exists()


def test_other_plants_see_no_button_and_cannot_ask(clearable):
    other = signed_in(clearable.users["other"])
    _, shown = page(other, f"/requests/{clearable.request.pk}/")

    response = other.post(f"/requests/{clearable.request.pk}/clearance/")

    assert "Pedir constancia" not in shown
    assert response.status_code == 403
    assert not Clearance.objects.exists()


def test_anyone_without_signing_in_verifies_a_granted_clearance(clearable):
    clearance = granted(clearable)

    response, shown = page(Client(), f"/verify/{clearance.serial}/")

    assert response.status_code == 200
    assert clearance.serial in shown
    assert clearable.owner_plant.name in shown and "Rodamiento 6205" in shown
    assert clearable.other_plant.name in shown and "Rodamiento dañado" in shown and "Rechazada" in shown
    assert "Válida hasta el" in shown and clearance.valid_until.strftime("%d/%m/%Y") in shown
    assert clearance.digest in shown and "coincide" in shown and "NO coincide" not in shown


def test_a_serial_is_found_whatever_its_case(clearable):
    clearance = granted(clearable)

    assert Client().get(f"/verify/{clearance.serial.lower()}/").status_code == 200


def test_an_unknown_serial_is_said_plainly(db):
    response, shown = page(Client(), "/verify/CND-2026-999999/")

    assert response.status_code == 404
    assert "no ha emitido ninguna constancia con el número CND-2026-999999" in shown


def test_a_refused_clearance_certifies_nothing(clearable):
    clearance = clearances.clearance_ask(part_request=clearable.request, user=clearable.users["owner"])
    clearances.clearance_refuse(clearance=clearance, user=clearable.users["admin"], note="Falta Guayana")

    response, shown = page(Client(), f"/verify/{clearance.serial}/")

    assert response.status_code == 200
    assert "fue negada" in shown and "no certifica nada" in shown
    assert clearable.other_plant.name not in shown


def test_a_clearance_asked_and_not_decided_certifies_nothing_yet(clearable):
    clearance = clearances.clearance_ask(part_request=clearable.request, user=clearable.users["owner"])

    _, shown = page(Client(), f"/verify/{clearance.serial}/")

    assert "aún no se ha decidido" in shown


def test_an_expired_clearance_says_so(clearable):
    clearance = granted(clearable)
    Clearance.objects.filter(pk=clearance.pk).update(valid_until=timezone.localdate() - timedelta(days=1))

    _, shown = page(Client(), f"/verify/{clearance.serial}/")

    assert "venció el" in shown and "Válida hasta el" not in shown


def test_a_declined_sources_reason_reads_in_the_readers_language(world):
    posted_days_ago(world.request, 4)
    world.decline_for_price()
    clearance = granted(world)

    _, in_spanish = page(Client(), f"/verify/{clearance.serial}/")
    _, in_english = page(Client(headers={"accept-language": "en"}), f"/verify/{clearance.serial}/")

    assert "Precio — Precio muy alto" in in_spanish
    assert "Price — Precio muy alto" in in_english
    assert "NO coincide" not in in_spanish


def test_an_altered_record_shows_that_its_digest_no_longer_matches(clearable):
    clearance = granted(clearable)
    sources = clearance.sources
    sources[0]["reason"] = "Otra razón"
    Clearance.objects.filter(pk=clearance.pk).update(sources=sources)

    _, shown = page(Client(), f"/verify/{clearance.serial}/")

    assert "NO coincide" in shown


def test_transparency_is_for_members(clearable):
    response = Client().get("/transparency/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_transparency_shows_each_plants_figures_the_clearances_and_the_declined_sources(make_world):
    world = make_world(units=5, quantity=2)
    posted_days_ago(world.request, 4)
    exchange_services.match_reject(match=world.match, user=world.users["admin"], reason="Dañado")
    clearance = granted(world)
    served = world.accepted_offer(quantity=1)
    exchange_services.match_fulfil(match=served, user=world.users["owner"])
    declined = world.approved_offer(quantity=1)
    exchange_services.match_decline(
        match=declined, user=world.users["owner"], reason=DeclineReason.PRICE, note="Precio muy alto"
    )

    response, shown = page(signed_in(world.users["other"]), "/transparency/")

    assert response.status_code == 200
    rows = {row.plant: row for row in plant_figures_table()}
    owner_row = rows[world.owner_plant.name]
    # Three shortages of the requester: the cleared one, the one served at home, the one whose source it declined.
    assert (owner_row.shortages_posted, owner_row.served_at_home, owner_row.cleared_for_import) == (3, 1, 1)
    assert owner_row.median_days_to_domestic_source == 0
    assert rows[world.other_plant.name].shortages_posted == 1
    assert sum(row.cleared_for_import for row in rows.values()) == exchange_stats()["requests_cleared"] == 1
    assert clearance.serial in shown and f'href="/verify/{clearance.serial}/"' in shown
    assert "Precio muy alto" in shown
    assert "Solicitudes publicadas" in shown


def test_transparency_filters_by_state(clearable):
    granted(clearable)
    member = signed_in(clearable.users["other"])

    _, in_barinas = page(member, "/transparency/?state=Barinas")
    _, in_merida = page(member, "/transparency/?state=Mérida")

    assert clearable.owner_plant.name in in_barinas
    assert clearable.owner_plant.name not in in_merida


def test_the_figures_export_as_csv_with_the_same_filters(clearable):
    clearance = granted(clearable)
    member = signed_in(clearable.users["other"])

    plants = member.get("/transparency/plants.csv?state=Barinas")
    cleared = member.get("/transparency/clearances.csv")

    assert plants["Content-Type"].startswith("text/csv")
    plant_rows = list(csv.reader(io.StringIO(plants.content.decode())))
    assert plant_rows[0][0] == "Planta" and len(plant_rows) == 2
    assert plant_rows[1][:6] == [clearable.owner_plant.name, "Barinas", clearable.owner_plant.sector, "1", "0", "1"]
    cleared_rows = list(csv.reader(io.StringIO(cleared.content.decode())))
    assert cleared_rows[1][0] == clearance.serial and cleared_rows[1][-1] == clearance.digest
    assert member.get("/transparency/secrets.csv").status_code == 404


def test_transparency_costs_a_fixed_number_of_queries(make_world, django_assert_max_num_queries):
    world = make_world()
    for _ in range(4):
        declined = world.approved_offer(quantity=1)
        exchange_services.match_decline(
            match=declined, user=world.users["owner"], reason=DeclineReason.LEAD_TIME, note="Plazo muy largo"
        )
    member = signed_in(world.users["other"])

    with django_assert_max_num_queries(14):
        response = member.get("/transparency/")

    assert response.content.decode().count("Plazo muy largo") == 4
