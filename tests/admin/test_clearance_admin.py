"""Import clearances in the admin: the asked ones listed first, granted or refused on their page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange import clearances
from exchange import services as exchange_services
from exchange.models import Clearance, PartRequest


@pytest.fixture
def asked(world):
    """A clearance the world's requester asked, its one source rejected, the request open four days."""
    PartRequest.objects.filter(pk=world.request.pk).update(created_at=timezone.now() - timedelta(days=4))
    exchange_services.match_reject(match=world.match, user=world.users["admin"], reason="Rodamiento dañado")
    world.request.refresh_from_db()
    return clearances.clearance_ask(part_request=world.request, user=world.users["owner"])


@pytest.fixture
def admin_client(client, world):
    """The world's administrator, signed in to the admin."""
    client.force_login(world.users["admin"])
    return client


def page_of(clearance):
    return reverse("admin:exchange_clearance_change", args=[clearance.pk])


def decide(client, clearance, decision, note):
    return client.post(
        reverse(f"admin:exchange_clearance_{decision}", args=[clearance.pk]), {"note": note}, follow=True
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_list_shows_the_clearances_waiting_for_a_decision(admin_client, asked):
    response = admin_client.get(reverse("admin:exchange_clearance_changelist"))

    assert response.status_code == 200
    assert asked.serial in response.content.decode()


def test_the_page_shows_the_sources_considered_and_the_two_decisions(admin_client, asked, world):
    page = admin_client.get(page_of(asked)).content.decode()

    assert "Rodamiento dañado" in page and world.other_plant.name in page
    assert reverse("admin:exchange_clearance_grant", args=[asked.pk]) in page
    assert reverse("admin:exchange_clearance_refuse", args=[asked.pk]) in page


def test_granting_in_the_admin_closes_the_request_as_cleared(admin_client, asked, world):
    response = decide(admin_client, asked, "grant", "Sin fuente nacional")

    asked.refresh_from_db()
    world.request.refresh_from_db()
    assert asked.status == Clearance.Status.GRANTED and asked.note == "Sin fuente nacional"
    assert world.request.status == PartRequest.Status.CLEARED
    assert messages_of(response) == [f"Clearance {asked.serial} granted."]
    assert response.redirect_chain[-1][0] == page_of(asked)
    assert reverse("admin:exchange_clearance_grant", args=[asked.pk]) not in response.content.decode()


def test_refusing_in_the_admin_without_a_note_says_why_and_changes_nothing(admin_client, asked):
    response = decide(admin_client, asked, "refuse", "  ")

    asked.refresh_from_db()
    assert asked.status == Clearance.Status.ASKED
    assert messages_of(response) == [f"Clearance {asked.serial}: Say why the clearance is refused."]


def test_refusing_in_the_admin_with_a_note_keeps_the_request_open(admin_client, asked, world):
    decide(admin_client, asked, "refuse", "Falta la cotización de Guayana")

    asked.refresh_from_db()
    world.request.refresh_from_db()
    assert asked.status == Clearance.Status.REFUSED
    assert world.request.status == PartRequest.Status.OPEN


def test_staff_without_the_permission_to_change_clearances_cannot_decide(client, asked, django_user_model):
    staff = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(staff)

    response = client.post(reverse("admin:exchange_clearance_grant", args=[asked.pk]), {"note": ""})

    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == Clearance.Status.ASKED
