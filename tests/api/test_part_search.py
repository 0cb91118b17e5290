"""/api/parts/?search=: the same parts whether the text is rare (indexed lookups) or common (newest first)."""

import pytest

from inventory import selectors
from tests.factories import PartFactory


@pytest.fixture
def catalogue(db):
    return {
        "by_name": PartFactory(name="Rodamiento rígido 6205", numbers=[("SKF", "6205-2RS")]),
        "by_description": PartFactory(name="Sello", description="Para el rodamiento del molino"),
        "by_number": PartFactory(name="Bearing", numbers=[("FAG", "RODAM-77")]),
        "unrelated": PartFactory(name="Correa", numbers=[("Gates", "A-40")]),
    }


def found(api_client, admin_user, text):
    api_client.force_authenticate(admin_user)
    response = api_client.get("/api/parts/", {"search": text})
    assert response.status_code == 200
    return {part["id"] for part in response.json()["results"]}


@pytest.mark.parametrize("common_from", [selectors.COMMON_TEXT_PARTS, 1])
def test_search_finds_name_description_and_number_prefix_for_rare_and_common_texts(
    api_client, admin_user, catalogue, monkeypatch, common_from
):
    # common_from=1 makes every text common, so both ways of reading are compared on the same catalogue
    monkeypatch.setattr(selectors, "COMMON_TEXT_PARTS", common_from)

    assert found(api_client, admin_user, "rodam") == {
        catalogue[key].pk for key in ("by_name", "by_description", "by_number")
    }
    assert found(api_client, admin_user, "6205") == {catalogue["by_name"].pk}
    assert found(api_client, admin_user, "molino") == {catalogue["by_description"].pk}
    assert found(api_client, admin_user, "no such part") == set()
