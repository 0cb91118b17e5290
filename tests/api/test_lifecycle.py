"""A shortage travels the whole way through HTTP: posted, matched, approved, quoted, accepted, shipped, received."""

from decimal import Decimal

import pytest

from exchange.models import Match
from inventory.models import Membership, StockMovement
from tests.conftest import client_for
from tests.factories import MembershipFactory, PartFactory, PlantFactory, ShopFactory, UserFactory, stock_item


@pytest.fixture
def exchange(db):
    requester_plant = PlantFactory(name="Maquinarias Barinas", latitude=8.6, longitude=-70.2)
    source_plant = PlantFactory(name="Lácteos Los Andes", latitude=8.5, longitude=-71.1)
    far_plant = PlantFactory(name="Cementos Sucre", latitude=10.4, longitude=-64.2)
    part = PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS")])
    cross_referenced = PartFactory(name="Rodamiento FAG", numbers=[("FAG", "6205-2RS")])
    return {
        "requester": client_for(MembershipFactory(plant=requester_plant).user),
        "source": client_for(MembershipFactory(plant=source_plant, role=Membership.Role.MANAGER).user),
        "admin": client_for(UserFactory(is_staff=True)),
        "requester_plant": requester_plant,
        "part": part,
        "source_stock": stock_item(plant=source_plant, part=cross_referenced, quantity=3),
        "far_stock": stock_item(plant=far_plant, part=part, quantity=5),
    }


def post(client, path, body=None):
    return client.post(path, body or {}, format="json")


def shortage_with_matches(exchange, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            exchange["requester"],
            "/api/requests/",
            {
                "plant": exchange["requester_plant"].pk,
                "number": "SKF 6205 2rs",
                "quantity": 2,
                "import_price_usd": "40.00",
                "criticality": "production_stopped",
            },
        )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_shortage_is_matched_approved_quoted_accepted_shipped_and_received(
    exchange, django_capture_on_commit_callbacks
):
    # given a shortage posted by the plant; the engine runs as its transaction commits
    shortage = shortage_with_matches(exchange, django_capture_on_commit_callbacks)
    assert shortage["part"] == exchange["part"].pk
    assert shortage["status"] == "open" and shortage["quantity_fulfilled"] == 0
    matches = exchange["requester"].get(f"/api/requests/{shortage['id']}/matches/").json()["results"]
    scores = [match["score"] for match in matches]
    assert scores == sorted(scores, reverse=True)
    assert {match["stock_item"] for match in matches} == {exchange["source_stock"].pk, exchange["far_stock"].pk}
    match = next(match for match in matches if match["stock_item"] == exchange["source_stock"].pk)
    assert match["quote"] is None and match["status"] == "proposed"
    match_path = f"/api/matches/{match['id']}"

    # when the admin approves, the source quotes and the requester accepts
    assert post(exchange["admin"], f"{match_path}/approve/").json()["status"] == "approved"
    quoted = post(
        exchange["source"],
        f"{match_path}/quote/",
        {"price": "30.00", "currency": "USD", "lead_time_days": 2, "quantity": 2},
    ).json()
    assert quoted["quote"] == {
        "price": "30.00",
        "currency": "USD",
        "lead_time_days": 2,
        "rate": None,
        "price_usd": "30.00",
    }
    assert quoted["quote_price"] == "30.00"
    assert post(exchange["requester"], f"{match_path}/accept/").json()["status"] == "accepted"

    # then the units are held for the requester
    stock_path = f"/api/stock/{exchange['source_stock'].pk}/"
    held = exchange["source"].get(stock_path).json()
    assert (held["quantity"], held["reserved"], held["quantity_available"]) == (3, 2, 1)

    # when they are shipped and received
    shipped = post(exchange["source"], f"{match_path}/ship/", {"note": "Zoom guía 4411"}).json()
    assert (shipped["status"], shipped["ship_note"]) == ("shipped", "Zoom guía 4411")
    fulfilled = post(exchange["requester"], f"{match_path}/fulfil/").json()

    # then stock, ledger, request and savings tell the same story
    assert fulfilled["status"] == "fulfilled" and fulfilled["usd_avoided"] == "80.00"
    left = exchange["source"].get(stock_path).json()
    assert (left["quantity"], left["reserved"]) == (1, 0)
    ledger = exchange["source"].get(f"{stock_path}movements/").json()["results"]
    assert [(row["delta"], row["reason"], row["match"]) for row in ledger] == [
        (-2, StockMovement.Reason.TRANSFER_OUT, match["id"]),
        (3, StockMovement.Reason.COUNT, None),
    ]
    request = exchange["requester"].get(f"/api/requests/{shortage['id']}/").json()
    assert (request["status"], request["quantity_fulfilled"]) == ("fulfilled", 2)
    stats = exchange["admin"].get("/api/stats/").json()
    assert Decimal(stats["usd_avoided_total"]) == Decimal("80.00")
    assert stats["requests_fulfilled"] == 1 and stats["requests_open"] == 0
    assert stats["matches_by_status"]["fulfilled"] == 1


def test_a_machine_shop_offers_on_an_open_request(exchange, django_capture_on_commit_callbacks):
    shortage = shortage_with_matches(exchange, django_capture_on_commit_callbacks)
    shop = ShopFactory()
    shop_client = client_for(MembershipFactory(plant=shop).user)
    capability = post(shop_client, "/api/capabilities/", {"plant": shop.pk, "process": "turning", "lead_time_days": 6})
    assert capability.status_code == 201, capability.content
    rate = post(exchange["admin"], "/api/rates/", {"date": "2026-01-02", "rate": "300", "source": "bcv"})
    assert rate.status_code == 201, rate.content

    response = post(
        shop_client,
        "/api/matches/",
        {
            "request": shortage["id"],
            "capability": capability.json()["id"],
            "price": "1500.00",
            "currency": "VES",
            "lead_time_days": 6,
        },
    )

    assert response.status_code == 201, response.content
    offer = response.json()
    assert (offer["origin"], offer["source"], offer["status"]) == ("offer", "fabrication", "proposed")
    assert offer["quote"] == {
        "price": "1500.00",
        "currency": "VES",
        "lead_time_days": 6,
        "rate": "300.00000000",
        "price_usd": "5.00",
    }
    assert offer["quantity"] == 2
    assert [row["id"] for row in shop_client.get("/api/matches/").json()["results"]] == [offer["id"]]


@pytest.fixture
def approved_quoted_match(exchange, django_capture_on_commit_callbacks):
    shortage = shortage_with_matches(exchange, django_capture_on_commit_callbacks)
    match = Match.objects.get(request_id=shortage["id"], stock_item=exchange["source_stock"])
    post(exchange["admin"], f"/api/matches/{match.pk}/approve/")
    post(exchange["source"], f"/api/matches/{match.pk}/quote/", {"price": "30", "currency": "USD", "lead_time_days": 2})
    return f"/api/matches/{match.pk}"


def test_approving_twice_is_a_conflict(exchange, approved_quoted_match):
    response = post(exchange["admin"], f"{approved_quoted_match}/approve/")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_accepting_when_the_stock_is_gone_is_a_conflict_and_changes_nothing(exchange, approved_quoted_match):
    stock_path = f"/api/stock/{exchange['source_stock'].pk}/"
    assert exchange["source"].patch(stock_path, {"quantity": 1}, format="json").status_code == 200

    response = post(exchange["requester"], f"{approved_quoted_match}/accept/")

    assert response.status_code == 409
    assert exchange["requester"].get(approved_quoted_match + "/").json()["status"] == "approved"
    assert exchange["source"].get(stock_path).json()["reserved"] == 0


@pytest.mark.parametrize("action", ["ship", "fulfil"])
def test_shipping_or_receiving_before_acceptance_is_a_conflict(exchange, approved_quoted_match, action):
    client = exchange["source"] if action == "ship" else exchange["requester"]
    assert post(client, f"{approved_quoted_match}/{action}/").status_code == 409


def test_a_shipped_match_cannot_be_cancelled_by_the_plants(exchange, approved_quoted_match):
    post(exchange["requester"], f"{approved_quoted_match}/accept/")
    post(exchange["source"], f"{approved_quoted_match}/ship/")
    assert post(exchange["requester"], f"{approved_quoted_match}/cancel/").status_code == 409
    assert post(exchange["source"], f"{approved_quoted_match}/cancel/").status_code == 409


def test_cancelling_a_request_releases_its_reservation(exchange, approved_quoted_match):
    post(exchange["requester"], f"{approved_quoted_match}/accept/")
    request_id = exchange["requester"].get(approved_quoted_match + "/").json()["request"]

    response = post(exchange["requester"], f"/api/requests/{request_id}/cancel/", {"note": "Llegó por otra vía"})

    assert response.json()["status"] == "cancelled"
    assert exchange["source"].get(f"/api/stock/{exchange['source_stock'].pk}/").json()["reserved"] == 0
    assert post(exchange["requester"], f"/api/requests/{request_id}/rematch/").status_code == 409
