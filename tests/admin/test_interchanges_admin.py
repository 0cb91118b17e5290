"""Interchanges in the admin: proposed on the add page, approved and rejected by the list's actions, through the services."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from exchange.models import Match
from inventory.models import Interchange
from tests.factories import PartFactory, PlantFactory, stock_item

CHANGELIST = reverse("admin:inventory_interchange_changelist")


def an_interchange(world, **fields):
    return Interchange.objects.create(
        part=world.part, substitute=PartFactory(), note="Catálogo", created_by=world.users["other"], **fields
    )


def signed_in_admin(client, world):
    client.force_login(world.users["admin"])
    return client


def test_the_list_shows_the_proposals_with_their_status(client, world, django_assert_max_num_queries):
    for _ in range(5):
        an_interchange(world)
    client = signed_in_admin(client, world)

    with django_assert_max_num_queries(8):
        page = client.get(CHANGELIST, {"status__exact": "proposed"})

    assert page.status_code == 200
    assert page.content.decode().count('name="_selected_action"') == 5


def test_adding_one_proposes_it_in_the_administrators_name(client, world):
    substitute = PartFactory()

    response = signed_in_admin(client, world).post(
        reverse("admin:inventory_interchange_add"),
        {"part": world.part.pk, "substitute": substitute.pk, "note": "Plano 12-B"},
    )

    assert response.status_code == 302
    interchange = Interchange.objects.get()
    assert (interchange.status, interchange.created_by) == ("proposed", world.users["admin"])


def test_adding_a_part_as_its_own_substitute_shows_the_error_and_saves_nothing(client, world):
    response = signed_in_admin(client, world).post(
        reverse("admin:inventory_interchange_add"),
        {"part": world.part.pk, "substitute": world.part.pk, "note": "x"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Interchange.objects.exists()


def test_the_approve_action_approves_and_rematches(client, world, django_capture_on_commit_callbacks):
    interchange = an_interchange(world)
    held = stock_item(plant=PlantFactory(), part=interchange.substitute, quantity=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in_admin(client, world).post(
            CHANGELIST, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [interchange.pk]}
        )

    assert response.status_code == 302
    interchange.refresh_from_db()
    assert (interchange.status, interchange.approved_by) == ("approved", world.users["admin"])
    assert Match.objects.filter(request=world.request, stock_item=held).exists()


def test_the_reject_action_withdraws_an_approved_one(client, world):
    interchange = an_interchange(world, status=Interchange.Status.APPROVED)

    signed_in_admin(client, world).post(
        CHANGELIST, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [interchange.pk]}
    )

    interchange.refresh_from_db()
    assert interchange.status == "rejected"


def test_the_status_is_not_an_editable_field_and_an_interchange_is_not_deleted(client, world):
    interchange = an_interchange(world)

    page = signed_in_admin(client, world).get(reverse("admin:inventory_interchange_change", args=[interchange.pk]))

    assert 'name="status"' not in page.content.decode()
    assert 'name="part"' not in page.content.decode()
    assert client.get(reverse("admin:inventory_interchange_delete", args=[interchange.pk])).status_code == 403
