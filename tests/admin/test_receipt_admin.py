"""Units shipped and not received, in the admin: the queue lists them, the match's page shows them and resolves them."""

import pytest
from django.test import Client
from django.urls import reverse

from bench.invariants import invariant_violations
from exchange.models import Match
from inventory.models import StockItem

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:exchange_match_changelist")


@pytest.fixture
def short(world):
    """The world's match: 2 units shipped, 1 received."""
    world.receive_short()
    world.match.refresh_from_db()
    return world.match


@pytest.fixture
def admin_client(world):
    client = Client()
    client.force_login(world.users["admin"])
    return client


def resolve(client, match, body):
    return client.post(reverse("admin:exchange_match_resolve", args=[match.pk]), body, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_queue_lists_the_matches_with_units_to_resolve(admin_client, world, short):
    response = admin_client.get(CHANGELIST, {"status": "discrepancy"})

    assert [match.pk for match in response.context["cl"].result_list] == [short.pk]
    assert "Units in transit to resolve" in response.content.decode()


def test_the_match_page_shows_the_units_received_and_in_transit_with_the_resolve_form(admin_client, short):
    page = admin_client.get(reverse("admin:exchange_match_change", args=[short.pk])).content.decode()

    assert "1 unit shipped and not received: resolve it at the top of the page." in page
    assert f'action="{reverse("admin:exchange_match_resolve", args=[short.pk])}"' in page
    assert 'value="lost"' in page and 'value="returned"' in page


def test_resolving_as_returned_puts_the_unit_back_in_the_source_store(admin_client, world, short):
    response = resolve(admin_client, short, {"resolution": "returned", "note": "Devuelta por Zoom"})

    assert messages_of(response) == [f"Match #{short.pk}: the units in transit are resolved."]
    short.refresh_from_db()
    assert (short.quantity_returned, short.quantity_in_transit) == (1, 0)
    assert StockItem.objects.get(pk=world.other_stock.pk).quantity == 2
    assert "resolve it at the top" not in response.content.decode()
    assert invariant_violations() == []


def test_a_resolution_without_a_choice_resolves_nothing(admin_client, short):
    response = resolve(admin_client, short, {"note": "?"})

    assert messages_of(response) == ["Not resolved: what became of them: This field is required."]
    short.refresh_from_db()
    assert short.quantity_in_transit == 1


def test_resolving_twice_says_there_is_nothing_left(admin_client, short):
    resolve(admin_client, short, {"resolution": "lost"})

    response = resolve(admin_client, short, {"resolution": "returned"})

    assert messages_of(response) == [
        f"Match #{short.pk}: No units of this match are in transit: there is nothing to resolve."
    ]
    short.refresh_from_db()
    assert (short.quantity_lost, short.quantity_returned) == (1, 0)


def test_a_staff_member_without_the_review_permission_cannot_resolve(world, short):
    world.users["member"].is_staff = True
    world.users["member"].save()
    client = Client()
    client.force_login(world.users["member"])

    assert resolve(client, short, {"resolution": "lost"}).status_code == 403
    assert Match.objects.get(pk=short.pk).quantity_lost == 0
