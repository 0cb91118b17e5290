"""Spanish error pages: 403 and 404 in the site's frame, 500 standalone."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path


def refuse(request):
    raise PermissionDenied


def fail(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("refuse/", refuse), path("fail/", fail), path("", include("config.urls"))]


@pytest.fixture
def broken_site(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_an_unknown_address_is_a_spanish_404(member_client, settings):
    settings.DEBUG = False

    response = member_client.get("/no-existe/")

    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_a_forbidden_action_is_a_spanish_403(broken_site, member_client):
    response = member_client.get("/refuse/")

    assert response.status_code == 403
    assert "No puede hacer esto" in response.content.decode()


def test_a_server_error_is_a_spanish_500_that_needs_no_database(broken_site, db, django_assert_num_queries):
    client = Client(raise_request_exception=False)

    with django_assert_num_queries(0):
        response = client.get("/fail/")

    assert response.status_code == 500
    assert "hay un problema con el servicio" in response.content.decode()
