import pytest

from tests.conftest import client_for


@pytest.mark.parametrize("language, turning", [("es", "Torneado"), ("en", "Turning")])
def test_labels_speak_the_language_the_client_asks_for(plant_member, language, turning):
    response = client_for(plant_member).get("/api/processes/", HTTP_ACCEPT_LANGUAGE=language)

    labels = {item["code"]: item["label"] for item in response.json()}
    assert labels["turning"] == turning


def test_errors_are_explained_in_spanish(plant_member):
    response = client_for(plant_member).post(
        "/api/requests/", {"plant": 999999, "quantity": 0}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 400
    assert "Asegúrese" in str(response.json()["quantity"])


def test_errors_follow_each_requests_language_whichever_came_first(plant_member, admin_user, plant):
    # A serializer's fields are built once per language; a field's message must not keep the first one's.
    answers = [
        (
            language,
            client_for(admin_user).post(
                "/api/plants/",
                {"name": plant.name, "state": "Lara", "latitude": 10, "longitude": -69},
                format="json",
                HTTP_ACCEPT_LANGUAGE=language,
            ),
            client_for(plant_member).post(
                "/api/requests/", {"plant": plant.pk, "quantity": 0}, format="json", HTTP_ACCEPT_LANGUAGE=language
            ),
        )
        for language in ("en", "es", "en")
    ]

    for language, duplicate, zero in answers:
        assert duplicate.status_code == zero.status_code == 400
        expected = ("already exists", "Ensure") if language == "en" else ("Ya existe", "Asegúrese")
        assert expected[0] in str(duplicate.json()["name"])
        assert expected[1] in str(zero.json()["quantity"])
