import pytest
from django.db import connection
from rest_framework.test import APIClient

from .factories import MembershipFactory, PlantFactory, ShopFactory, UserFactory


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def plant(db):
    return PlantFactory()


@pytest.fixture
def shop(db):
    return ShopFactory(state="Bolívar", latitude=8.3, longitude=-62.7)


@pytest.fixture
def plant_member(plant):
    return MembershipFactory(plant=plant).user


@pytest.fixture
def shop_member(shop):
    return MembershipFactory(plant=shop).user


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


requires_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of this test's own, through the default storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
