"""Import clearances through the API: asked by the requester, refused while a domestic source is unexamined,
granted or refused by an administrator, sealed by a digest anyone can recompute."""

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exchange import clearances
from exchange import services as exchange_services
from exchange.models import Clearance, Match, Notification, PartRequest
from tests.factories import PartFactory, stock_item


def posted_days_ago(part_request, days):
    PartRequest.objects.filter(pk=part_request.pk).update(created_at=timezone.now() - timedelta(days=days))


def ask(world, role="owner", part_request=None):
    part_request = part_request or world.request
    return world.client(role).post(f"/api/requests/{part_request.pk}/clearance/", format="json")


@pytest.fixture
def clearable(world):
    """The world's request open four days, its one domestic source rejected by an administrator."""
    posted_days_ago(world.request, 4)
    exchange_services.match_reject(match=world.match, user=world.users["admin"], reason="Rodamiento dañado")
    return world


def asked(world) -> Clearance:
    response = ask(world)
    assert response.status_code == 201, response.content
    return Clearance.objects.get(pk=response.json()["id"])


def test_asking_is_refused_while_the_request_is_younger_than_the_minimum(world, settings):
    settings.CLEARANCE_MIN_OPEN_DAYS = 3
    exchange_services.match_reject(match=world.match, user=world.users["admin"], reason="Dañado")
    posted_days_ago(world.request, 2)

    response = ask(world)

    assert response.status_code == 409
    assert "3" in response.json()["detail"] and "2" in response.json()["detail"]
    assert not Clearance.objects.exists()


def test_the_minimum_open_days_come_from_the_setting(world, settings):
    settings.CLEARANCE_MIN_OPEN_DAYS = 0
    exchange_services.match_reject(match=world.match, user=world.users["admin"], reason="Dañado")

    assert ask(world).status_code == 201


def test_asking_is_refused_while_a_proposal_waits_for_review(world):
    posted_days_ago(world.request, 4)

    response = ask(world)

    assert response.status_code == 409
    assert world.other_plant.name in response.json()["detail"]
    assert not Clearance.objects.exists()


def test_asking_is_refused_while_an_approved_source_is_neither_accepted_nor_declined(world):
    posted_days_ago(world.request, 4)
    world.quote_and_approve()

    response = ask(world)

    assert response.status_code == 409
    assert f"#{world.match.pk}" in response.json()["detail"]


def test_asking_is_refused_while_an_offer_is_open(clearable):
    world = clearable
    stock_item(plant=world.shop, part=world.part, quantity=4)
    offer = exchange_services.match_offer_create(
        part_request=world.request,
        user=world.users["shop"],
        price=Decimal("20"),
        currency="USD",
        lead_time_days=5,
        stock_item=world.shop.stock_items.get(part=world.part),
    )

    response = ask(world)

    assert response.status_code == 409
    assert f"#{offer.pk}" in response.json()["detail"]


def test_asking_is_refused_when_a_source_was_declined_without_a_reason(world):
    posted_days_ago(world.request, 4)
    world.quote_and_approve()
    # The source withdrew (a source owes no reason); nobody says why the exchange could not use it.
    exchange_services.match_decline(match=world.match, user=world.users["other"], note="")

    response = ask(world)

    assert response.status_code == 409
    assert f"#{world.match.pk}" in response.json()["detail"]


def test_a_source_declined_with_a_reason_counts_as_considered(world):
    posted_days_ago(world.request, 4)
    world.decline_for_price()

    clearance = asked(world)

    # The reason is kept as its code, so that each reader reads it in their own language.
    assert [
        (source["match"], source["outcome"], source["decline_reason"], source["reason"]) for source in clearance.sources
    ] == [(world.match.pk, "declined", "price", "Precio muy alto")]


def test_asking_runs_the_engine_and_is_refused_when_it_finds_a_source_nobody_looked_at(clearable):
    world = clearable
    new_stock = stock_item(plant=world.shop, part=world.part, quantity=4)
    assert not Match.objects.filter(stock_item=new_stock).exists()

    response = ask(world)

    assert response.status_code == 409
    assert world.shop.name in response.json()["detail"]
    # The source found stays on the request, for its plant to look at.
    assert Match.objects.get(stock_item=new_stock).status == Match.Status.PROPOSED
    assert not Clearance.objects.exists()


def test_asking_is_refused_for_a_request_that_is_not_open(world):
    posted_days_ago(world.request, 4)
    exchange_services.part_request_cancel(part_request=world.request, user=world.users["owner"])

    assert ask(world).status_code == 409


def test_asking_twice_is_refused(clearable):
    asked(clearable)

    response = ask(clearable)

    assert response.status_code == 409
    assert Clearance.objects.count() == 1


def test_a_clearance_asked_has_a_serial_and_the_sources_considered(clearable):
    world = clearable

    clearance = asked(world)

    assert clearance.status == Clearance.Status.ASKED
    assert clearance.serial == f"CND-{timezone.localdate().year}-{clearance.pk:06d}"
    assert clearance.asked_by == world.users["owner"]
    assert clearance.sources == [
        {
            "match": world.match.pk,
            "plant": world.other_plant.name,
            "state": world.other_plant.state,
            "source": "stock",
            "origin": "engine",
            "outcome": "rejected",
            "decline_reason": "",
            "reason": "Rodamiento dañado",
            "quote": None,
        }
    ]


@pytest.mark.parametrize("role", ["member", "admin_member"])
def test_any_member_of_the_requesting_plant_may_ask(clearable, role):
    assert ask(clearable, role).status_code == 201


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("other", 403), ("shop", 403), ("admin", 403)])
def test_no_one_else_may_ask(clearable, role, status):
    assert ask(clearable, role).status_code == status
    assert not Clearance.objects.exists()


def grant(world, clearance, role="admin", note="Sin fuente nacional"):
    return world.client(role).post(f"/api/clearances/{clearance.pk}/grant/", {"note": note}, format="json")


def refuse(world, clearance, role="admin", note="Falta una cotización"):
    return world.client(role).post(f"/api/clearances/{clearance.pk}/refuse/", {"note": note}, format="json")


def test_granting_seals_the_clearance_and_closes_the_request_as_cleared(clearable, django_capture_on_commit_callbacks):
    world = clearable
    clearance = asked(world)

    with django_capture_on_commit_callbacks(execute=True):
        response = grant(world, clearance)

    assert response.status_code == 200, response.content
    body = response.json()
    today = timezone.localdate()
    assert body["status"] == "granted"
    assert body["valid_until"] == clearances.months_after(today, 6).isoformat()
    assert len(body["digest"]) == 64
    world.request.refresh_from_db()
    assert world.request.status == PartRequest.Status.CLEARED
    assert world.request.history.last().to_status == PartRequest.Status.CLEARED
    told = Notification.objects.filter(kind=Notification.Kind.CLEARANCE_GRANTED, request=world.request)
    assert {notification.user for notification in told} == {
        world.users["owner"],
        world.users["member"],
        world.users["admin_member"],
    }


def test_the_digest_is_the_sha256_of_the_certified_content_in_canonical_json(clearable):
    world = clearable
    clearance = asked(world)
    grant(world, clearance)
    clearance.refresh_from_db()

    content = {
        "serial": clearance.serial,
        "request": clearance.request_facts,
        "sources": clearance.sources,
        "note": "Sin fuente nacional",
        "granted_at": clearance.granted_at.isoformat(),
        "valid_until": clearance.valid_until.isoformat(),
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    assert hashlib.sha256(canonical).hexdigest() == clearance.digest
    assert clearance.request_facts["plant"] == world.owner_plant.name
    assert clearance.request_facts["quantity"] == 2
    # Any change to what it certifies changes the digest.
    clearance.sources[0]["reason"] = "Otra razón"
    assert clearances.clearance_digest(clearance) != clearance.digest


def test_granting_is_refused_when_a_new_source_appeared_since_it_was_asked(clearable):
    world = clearable
    clearance = asked(world)
    stock_item(plant=world.shop, part=world.part, quantity=4)

    response = grant(world, clearance)

    assert response.status_code == 409
    assert world.shop.name in response.json()["detail"]
    clearance.refresh_from_db()
    assert clearance.status == Clearance.Status.ASKED


def test_refusing_needs_a_note_and_keeps_the_request_open(clearable, django_capture_on_commit_callbacks):
    world = clearable
    clearance = asked(world)

    without_note = refuse(world, clearance, note="")
    with django_capture_on_commit_callbacks(execute=True):
        refused = refuse(world, clearance)

    assert without_note.status_code == 400 and "note" in without_note.json()
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    world.request.refresh_from_db()
    assert world.request.status == PartRequest.Status.OPEN
    notice = Notification.objects.get(kind=Notification.Kind.CLEARANCE_REFUSED, user=world.users["owner"])
    assert "Falta una cotización" in notice.text


def test_a_refused_clearance_may_be_asked_again_and_a_decided_one_is_not_decided_twice(clearable):
    world = clearable
    first = asked(world)
    refuse(world, first)

    second = asked(world)

    assert second.serial != first.serial
    assert grant(world, first).status_code == 409
    assert refuse(world, first).status_code == 409


def test_an_administrator_who_is_a_member_of_the_plant_may_grant(clearable):
    assert grant(clearable, asked(clearable), "admin_member").status_code == 200


@pytest.mark.parametrize("role", ["owner", "member", "other"])
def test_members_of_plants_neither_grant_nor_refuse(clearable, role):
    world = clearable
    clearance = asked(world)
    assert grant(world, clearance, role).status_code in {403, 404}
    assert refuse(world, clearance, role).status_code in {403, 404}
    clearance.refresh_from_db()
    assert clearance.status == Clearance.Status.ASKED


def test_members_see_granted_clearances_and_their_own_plants_asked_ones(clearable):
    world = clearable
    clearance = asked(world)
    owner_before = world.client("owner").get("/api/clearances/").json()["results"]
    other_before = world.client("other").get("/api/clearances/").json()["results"]
    grant(world, clearance)
    other_after = world.client("other").get("/api/clearances/").json()["results"]

    assert [row["serial"] for row in owner_before] == [clearance.serial]
    assert other_before == []
    assert [(row["serial"], row["status"]) for row in other_after] == [(clearance.serial, "granted")]
    assert world.client("other").get("/api/clearances/?status=asked").json()["results"] == []


def test_six_months_of_validity_end_on_the_last_day_of_a_shorter_month():
    assert clearances.months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert clearances.months_after(date(2026, 12, 1), 6) == date(2027, 6, 1)


def test_the_clearance_list_costs_the_same_few_queries_however_many_clearances(world, django_assert_max_num_queries):
    for _ in range(5):
        # A part nobody holds or makes: the engine finds no source.
        part_request = exchange_services.part_request_create(
            plant=world.owner_plant, user=world.users["owner"], part=PartFactory(), quantity=1
        )
        posted_days_ago(part_request, 4)
        part_request.refresh_from_db()
        clearances.clearance_grant(
            clearance=clearances.clearance_ask(part_request=part_request, user=world.users["owner"]),
            user=world.users["admin"],
        )
    client = world.client("other")

    with django_assert_max_num_queries(4):
        response = client.get("/api/clearances/")

    assert len(response.json()["results"]) == 5
