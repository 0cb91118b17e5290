import pytest
from django.core.cache import cache
from django.db import connection

from inventory.selectors import KNOWN_BRANDS_CACHE_KEY

from .factories import MembershipFactory, PlantFactory, ShopFactory, UserFactory
from .world import build_world, client_for


@pytest.fixture(autouse=True)
def fresh_known_brands():
    """A rolled-back test leaves its numbers' brands in the lookup's cache; the next test starts without them."""
    cache.delete(KNOWN_BRANDS_CACHE_KEY)
    yield
    cache.delete(KNOWN_BRANDS_CACHE_KEY)


@pytest.fixture
def api_client():
    return client_for(None)


@pytest.fixture
def admin_user(db):
    """The administrator pytest-django's ``admin_client`` signs in as."""
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


requires_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.fixture
def world(db):
    """The shared small exchange of tests/world.py."""
    return build_world()


@pytest.fixture
def make_world(db):
    """tests/world.py's builder, for a test that needs its own stock or request size."""
    return build_world


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of this test's own, through the default storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
