"""/api/interchanges/: members propose, administrators approve or reject, the engine follows."""

import pytest

from exchange.models import Match
from inventory.models import Interchange
from tests.factories import PartFactory, PlantFactory, stock_item
from tests.world import ids


@pytest.fixture
def substitute(world):
    return PartFactory(name="Rodamiento equivalente", numbers=[("KOYO", "6205-2RSCM")])


def propose(world, substitute_part, role="other", **body):
    payload = {"part": world.part.pk, "substitute": substitute_part.pk, "note": "Catálogo KOYO 2024"} | body
    return world.client(role).post("/api/interchanges/", payload, format="json")


def test_a_member_proposes_and_reads_it_back_as_proposed(world, substitute):
    response = propose(world, substitute, two_way=True)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["two_way"], body["created_by"], body["approved_by"]) == (
        "proposed",
        True,
        world.users["other"].pk,
        None,
    )


def test_the_status_and_who_proposed_are_not_the_callers_to_set(world, substitute):
    response = propose(world, substitute, status="approved", created_by=world.users["admin"].pk)

    assert response.status_code == 201
    assert Interchange.objects.get().status == Interchange.Status.PROPOSED
    assert Interchange.objects.get().created_by == world.users["other"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"note": ""}, "note"),
        ({"part": "seis"}, "part"),
        ({"substitute": 10**9}, "substitute"),
        ({"note": "x" * 301}, "note"),
        ({"two_way": "quizás"}, "two_way"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(world, substitute, body, field):
    response = propose(world, substitute, **body)

    assert response.status_code == 400
    assert field in response.json()
    assert not Interchange.objects.exists()


def test_a_part_as_its_own_substitute_is_a_400_on_the_substitute(world):
    response = propose(world, world.part)

    assert response.status_code == 400
    assert "substitute" in response.json()


def test_a_second_interchange_of_the_same_pair_is_a_409_naming_the_first(world, substitute):
    first = propose(world, substitute).json()

    response = world.client("owner").post(
        "/api/interchanges/",
        {"part": substitute.pk, "substitute": world.part.pk, "note": "Al revés"},
        format="json",
    )

    assert response.status_code == 409
    assert f"#{first['id']}" in response.json()["detail"]


def test_the_list_filters_by_part_on_either_side_and_by_status(world, substitute):
    proposed = propose(world, substitute).json()["id"]
    other = PartFactory()
    approved = world.client("owner").post(
        "/api/interchanges/", {"part": other.pk, "substitute": substitute.pk, "note": "Plano"}, format="json"
    )
    approved = approved.json()["id"]
    world.client("admin").post(f"/api/interchanges/{approved}/approve/")
    client = world.client("shop")

    assert ids(client.get(f"/api/interchanges/?part={substitute.pk}")) == sorted([proposed, approved])
    assert ids(client.get(f"/api/interchanges/?part={world.part.pk}")) == [proposed]
    assert ids(client.get("/api/interchanges/?status=approved")) == [approved]
    assert client.get("/api/interchanges/?status=maybe").status_code == 400


def test_the_list_costs_the_same_queries_for_many_rows(world, django_assert_max_num_queries):
    for _ in range(20):
        Interchange.objects.create(part=world.part, substitute=PartFactory(), note="x")
    client = world.client("member")

    with django_assert_max_num_queries(4):
        response = client.get("/api/interchanges/")

    assert len(response.json()["results"]) == 20


def test_an_administrator_approves_and_the_open_request_gets_the_substitutes_stock(
    world, substitute, django_capture_on_commit_callbacks
):
    held = stock_item(plant=PlantFactory(latitude=8.6, longitude=-70.0), part=substitute, quantity=2)
    interchange_id = propose(world, substitute).json()["id"]

    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("admin").post(f"/api/interchanges/{interchange_id}/approve/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["approved_by"]) == ("approved", world.users["admin"].pk)
    match = Match.objects.get(request=world.request, stock_item=held)
    assert match.explanation["interchange"] == interchange_id


def test_an_administrator_rejects_and_nothing_is_matched(world, substitute, django_capture_on_commit_callbacks):
    held = stock_item(plant=PlantFactory(), part=substitute, quantity=2)
    interchange_id = propose(world, substitute).json()["id"]

    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("admin_member").post(f"/api/interchanges/{interchange_id}/reject/")

    assert response.json()["status"] == "rejected"
    assert not Match.objects.filter(stock_item=held).exists()


def test_the_contract_documents_the_interchange_routes(world):
    paths = world.client("anonymous").get("/api/schema/?format=json").json()["paths"]

    assert {"get", "post"} <= set(paths["/api/interchanges/"])
    assert {parameter["name"] for parameter in paths["/api/interchanges/"]["get"]["parameters"]} >= {
        "part",
        "status",
    }
    assert "post" in paths["/api/interchanges/{id}/approve/"]
    assert "post" in paths["/api/interchanges/{id}/reject/"]
