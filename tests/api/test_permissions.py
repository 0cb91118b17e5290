"""Who may do what, over every endpoint and action (OWASP API1: broken object-level authorization)."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import ScopedRateThrottle

from inventory.models import Interchange, Membership
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.world import ids

ROLES = ["anonymous", "owner", "member", "other", "shop", "admin", "admin_member"]
ADMINISTRATORS = {"admin", "admin_member"}


def expect(owner, member, other, shop, admin, admin_member):
    """The answer for each chair (see tests/world.py): the rule of docs/architecture.md, "Who acts for a plant"."""
    return {
        "anonymous": 401,
        "owner": owner,
        "member": member,
        "other": other,
        "shop": shop,
        "admin": admin,
        "admin_member": admin_member,
    }


def readable(status=200):
    return expect(status, status, status, status, status, status)


def all_plants(w, role):
    return [w.owner_plant.pk, w.other_plant.pk, w.shop.pk]


def memberships_of_own_plants(w, role):
    memberships = Membership.objects.all()
    if role not in ADMINISTRATORS:
        memberships = memberships.filter(plant__memberships__user=w.users[role])
    return sorted(memberships.values_list("id", flat=True))


def visible_requests(w, role):
    return {
        "owner": [w.request.pk],
        "member": [w.request.pk],
        "other": [w.request.pk, w.closed_request.pk],
        "shop": [w.request.pk],
        "admin": [w.request.pk, w.closed_request.pk],
        "admin_member": [w.request.pk, w.closed_request.pk],
    }[role]


def visible_matches(w, role):
    return [] if role == "shop" else [w.match.pk]


def new_membership(w):
    return {"user": UserFactory().username, "plant": w.owner_plant.pk, "role": "member"}


def new_request(w):
    return {"plant": w.owner_plant.pk, "part": w.part.pk, "quantity": 1}


def offer(w):
    return {
        "request": w.request.pk,
        "capability": w.capability.pk,
        "price": "100.00",
        "currency": "VES",
        "lead_time_days": 7,
    }


QUOTE = {"price": "25.00", "currency": "USD", "lead_time_days": 4}


def proposed_interchange(w):
    """The other plant's proposal that the owner's stocked part replaces the world's bearing."""
    interchange, _created = Interchange.objects.get_or_create(
        part=w.part, substitute=w.owner_stock.part, defaults={"note": "Catálogo", "created_by": w.users["other"]}
    )
    return interchange


def new_interchange(w):
    return {"part": w.part.pk, "substitute": w.owner_stock.part_id, "note": "Plano del fabricante"}


# (id, method, path, body, precondition, expected status by role, expected list rows by role)
CASES = [
    ("plants-list", "get", lambda w: "/api/plants/", None, None, readable(), all_plants),
    (
        "plants-create",
        "post",
        lambda w: "/api/plants/",
        lambda w: {"name": "Nueva"},
        None,
        expect(403, 403, 403, 403, 201, 201),
        None,
    ),
    (
        "plants-update",
        "patch",
        lambda w: f"/api/plants/{w.owner_plant.pk}/",
        lambda w: {"city": "Socopó"},
        None,
        expect(403, 403, 403, 403, 200, 200),
        None,
    ),
    ("memberships-list", "get", lambda w: "/api/memberships/", None, None, readable(), memberships_of_own_plants),
    (
        "memberships-create",
        "post",
        lambda w: "/api/memberships/",
        new_membership,
        None,
        expect(201, 403, 403, 403, 201, 201),
        None,
    ),
    (
        "memberships-delete",
        "delete",
        lambda w: f"/api/memberships/{w.owner_colleague_membership.pk}/",
        None,
        None,
        expect(204, 403, 404, 404, 204, 204),
        None,
    ),
    ("materials-list", "get", lambda w: "/api/materials/", None, None, readable(), lambda w, r: [w.material.pk]),
    (
        "materials-create",
        "post",
        lambda w: "/api/materials/",
        lambda w: {"name": "AISI 4140", "family": "alloy_steel"},
        None,
        expect(403, 403, 403, 403, 201, 201),
        None,
    ),
    ("processes-list", "get", lambda w: "/api/processes/", None, None, readable(), None),
    (
        "parts-list",
        "get",
        lambda w: "/api/parts/",
        None,
        None,
        readable(),
        lambda w, r: sorted([w.part.pk, w.owner_stock.part_id]),
    ),
    (
        "parts-create",
        "post",
        lambda w: "/api/parts/",
        lambda w: {"name": "Eje", "numbers": [{"brand": "", "number": "E-1"}]},
        None,
        expect(201, 201, 201, 201, 201, 201),
        None,
    ),
    (
        "parts-update",
        "patch",
        lambda w: f"/api/parts/{w.part.pk}/",
        lambda w: {"category": "rodamientos"},
        None,
        expect(403, 403, 403, 403, 200, 200),
        None,
    ),
    (
        "stock-list",
        "get",
        lambda w: "/api/stock/",
        None,
        None,
        readable(),
        lambda w, r: sorted([w.owner_stock.pk, w.other_stock.pk, w.empty_stock.pk]),
    ),
    (
        "stock-create",
        "post",
        lambda w: "/api/stock/",
        lambda w: {"plant": w.owner_plant.pk, "part": w.part.pk, "quantity": 4, "location": "C-1"},
        None,
        expect(201, 201, 403, 403, 201, 201),
        None,
    ),
    (
        "stock-update",
        "patch",
        lambda w: f"/api/stock/{w.owner_stock.pk}/",
        lambda w: {"quantity": 7},
        None,
        expect(200, 200, 403, 403, 200, 200),
        None,
    ),
    (
        "stock-delete",
        "delete",
        lambda w: f"/api/stock/{w.empty_stock.pk}/",
        None,
        None,
        expect(204, 204, 403, 403, 204, 204),
        None,
    ),
    ("stock-movements", "get", lambda w: f"/api/stock/{w.owner_stock.pk}/movements/", None, None, readable(), None),
    (
        "capabilities-list",
        "get",
        lambda w: "/api/capabilities/",
        None,
        None,
        readable(),
        lambda w, r: [w.capability.pk],
    ),
    (
        "capabilities-create",
        "post",
        lambda w: "/api/capabilities/",
        lambda w: {"plant": w.shop.pk, "process": "milling"},
        None,
        expect(403, 403, 403, 201, 201, 201),
        None,
    ),
    (
        "capabilities-update",
        "patch",
        lambda w: f"/api/capabilities/{w.capability.pk}/",
        lambda w: {"lead_time_days": 5},
        None,
        expect(403, 403, 403, 200, 200, 200),
        None,
    ),
    (
        "capabilities-delete",
        "delete",
        lambda w: f"/api/capabilities/{w.capability.pk}/",
        None,
        None,
        expect(403, 403, 403, 204, 204, 204),
        None,
    ),
    ("requests-list", "get", lambda w: "/api/requests/", None, None, readable(), visible_requests),
    (
        "requests-detail-closed",
        "get",
        lambda w: f"/api/requests/{w.closed_request.pk}/",
        None,
        None,
        expect(404, 404, 200, 404, 200, 200),
        None,
    ),
    (
        "requests-create",
        "post",
        lambda w: "/api/requests/",
        new_request,
        None,
        expect(201, 201, 403, 403, 403, 201),
        None,
    ),
    (
        "requests-update",
        "patch",
        lambda w: f"/api/requests/{w.request.pk}/",
        lambda w: {"quantity": 3},
        None,
        expect(200, 200, 403, 403, 200, 200),
        None,
    ),
    (
        "requests-matches",
        "get",
        lambda w: f"/api/requests/{w.request.pk}/matches/",
        None,
        None,
        readable(),
        visible_matches,
    ),
    (
        "requests-rematch",
        "post",
        lambda w: f"/api/requests/{w.request.pk}/rematch/",
        None,
        None,
        expect(200, 200, 403, 403, 200, 200),
        None,
    ),
    (
        "requests-cancel",
        "post",
        lambda w: f"/api/requests/{w.request.pk}/cancel/",
        None,
        None,
        expect(200, 200, 403, 403, 200, 200),
        None,
    ),
    ("matches-list", "get", lambda w: "/api/matches/", None, None, readable(), visible_matches),
    (
        "matches-detail",
        "get",
        lambda w: f"/api/matches/{w.match.pk}/",
        None,
        None,
        expect(200, 200, 200, 404, 200, 200),
        None,
    ),
    ("matches-offer", "post", lambda w: "/api/matches/", offer, None, expect(403, 403, 403, 201, 403, 403), None),
    (
        "matches-approve",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/approve/",
        None,
        None,
        expect(403, 403, 403, 404, 200, 200),
        None,
    ),
    (
        "matches-reject",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/reject/",
        lambda w: {"reason": "lejos"},
        None,
        expect(403, 403, 403, 404, 200, 200),
        None,
    ),
    (
        "matches-quote",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/quote/",
        lambda w: QUOTE,
        None,
        expect(403, 403, 200, 404, 403, 403),
        None,
    ),
    (
        "matches-accept",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/accept/",
        None,
        "quote_and_approve",
        expect(200, 200, 403, 404, 403, 200),
        None,
    ),
    (
        "matches-ship",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/ship/",
        lambda w: {"note": "MRW 123"},
        "accept",
        expect(403, 403, 200, 404, 403, 403),
        None,
    ),
    (
        "matches-fulfil",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/fulfil/",
        None,
        "accept",
        expect(200, 200, 403, 404, 403, 200),
        None,
    ),
    (
        "matches-resolve",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/resolve/",
        lambda w: {"resolution": "lost"},
        "receive_short",
        expect(403, 403, 403, 404, 200, 200),
        None,
    ),
    (
        "matches-decline",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/decline/",
        None,
        None,
        expect(200, 200, 200, 404, 200, 200),
        None,
    ),
    (
        "matches-cancel",
        "post",
        lambda w: f"/api/matches/{w.match.pk}/cancel/",
        None,
        "accept",
        expect(200, 200, 200, 404, 200, 200),
        None,
    ),
    ("stats", "get", lambda w: "/api/stats/", None, None, readable(), None),
    (
        "interchanges-list",
        "get",
        lambda w: f"/api/interchanges/?part={proposed_interchange(w).part_id}",
        None,
        None,
        readable(),
        lambda w, r: [proposed_interchange(w).pk],
    ),
    (
        "interchanges-create",
        "post",
        lambda w: "/api/interchanges/",
        new_interchange,
        None,
        expect(201, 201, 201, 201, 201, 201),
        None,
    ),
    (
        "interchanges-approve",
        "post",
        lambda w: f"/api/interchanges/{proposed_interchange(w).pk}/approve/",
        None,
        None,
        expect(403, 403, 403, 403, 200, 200),
        None,
    ),
    (
        "interchanges-reject",
        "post",
        lambda w: f"/api/interchanges/{proposed_interchange(w).pk}/reject/",
        None,
        None,
        expect(403, 403, 403, 403, 200, 200),
        None,
    ),
    ("rates-list", "get", lambda w: "/api/rates/", None, None, readable(), lambda w, role: [w.rate.pk]),
    (
        "rates-create",
        "post",
        lambda w: "/api/rates/",
        lambda w: {"date": "2026-11-27", "rate": "245.67", "source": "bcv"},
        None,
        expect(403, 403, 403, 403, 201, 201),
        None,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "method, path, body, given, expected, rows", [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_permission_matrix(world, role, method, path, body, given, expected, rows):
    # given
    if given:
        getattr(world, given)()
    # when
    response = getattr(world.client(role), method)(path(world), body(world) if body else None, format="json")
    # then
    assert response.status_code == expected[role], response.content
    if rows and response.status_code == 200:
        assert ids(response) == sorted(rows(world, role))


def test_missing_credentials_answer_401_with_a_token_challenge(world):
    response = world.client("anonymous").get("/api/plants/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_user_of_no_plant_cannot_add_a_part(world):
    response = client_for(UserFactory()).post("/api/parts/", {"name": "Eje"}, format="json")
    assert response.status_code == 403


def test_token_login_answers_a_token_that_authenticates(world, api_client):
    world.users["owner"].set_password("s3cret-pass")
    world.users["owner"].save()
    response = api_client.post(
        "/api/auth/token/", {"username": world.users["owner"].username, "password": "s3cret-pass"}, format="json"
    )
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api_client.get("/api/plants/").status_code == 200


def test_token_login_is_throttled_under_its_own_scope(world, api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    cache.clear()
    statuses = [
        api_client.post("/api/auth/token/", {"username": "x", "password": "y"}, format="json").status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]


@pytest.mark.parametrize("role", ROLES)
def test_a_stock_spreadsheet_is_loaded_by_those_who_keep_the_plants_records(world, role):
    upload = SimpleUploadedFile("stock.csv", b"part number,quantity,location\n6205-2RS,3,S-1\n", "text/csv")
    response = world.client(role).post(
        "/api/stock/import/", {"plant": world.owner_plant.pk, "file": upload}, format="multipart"
    )
    assert response.status_code == expect(200, 200, 403, 403, 200, 200)[role], response.content
