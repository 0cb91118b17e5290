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
