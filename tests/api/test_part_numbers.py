from tests.conftest import client_for
from tests.factories import PartFactory


def numbers_of(response):
    return [(number["brand"], number["number"]) for number in response.json()["numbers"]]


def test_numbers_in_a_patch_replace_the_whole_list(admin_user):
    part = PartFactory(numbers=[("SKF", "6205-2RSH"), ("FAG", "6205-2RSR")])
    admin = client_for(admin_user)

    response = admin.patch(
        f"/api/parts/{part.pk}/", {"numbers": [{"brand": "NSK", "number": "6205DDU"}]}, format="json"
    )

    assert response.status_code == 200
    assert numbers_of(response) == [("NSK", "6205DDU")]
    assert numbers_of(admin.get(f"/api/parts/{part.pk}/")) == [("NSK", "6205DDU")]


def test_a_patch_without_numbers_keeps_them(admin_user):
    part = PartFactory(numbers=[("SKF", "6205-2RSH")])

    response = client_for(admin_user).patch(f"/api/parts/{part.pk}/", {"name": "Rodamiento"}, format="json")

    assert response.status_code == 200
    assert numbers_of(response) == [("SKF", "6205-2RSH")]


def test_the_schema_says_that_numbers_replace_the_list(db):
    schema = client_for(None).get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()

    numbers = schema["components"]["schemas"]["PatchedCataloguePartRequest"]["properties"]["numbers"]
    assert "replaces the whole list" in numbers["description"]
