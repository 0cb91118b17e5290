"""API tokens: a new one per login, hashed at rest, ending by expiry, by logout, or by a password change."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret-pass-Orinoco"


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def user():
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    return user


def login(user):
    response = APIClient().post("/api/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def client_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_each_login_answers_a_new_token_with_its_expiry(user, settings):
    first, second = login(user), login(user)

    assert first["token"] != second["token"]
    expiry = timezone.datetime.fromisoformat(first["expiry"])
    assert abs(expiry - (timezone.now() + timedelta(hours=settings.TOKEN_TTL_HOURS))) < timedelta(minutes=1)
    assert client_with(first["token"]).get("/api/plants/").status_code == 200
    assert client_with(second["token"]).get("/api/plants/").status_code == 200


def test_a_token_is_not_stored_as_sent(user):
    token = login(user)["token"]

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert stored and not any(token in value for value in stored)


def test_an_expired_token_is_refused(user):
    token = login(user)["token"]
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))

    assert client_with(token).get("/api/plants/").status_code == 401


def test_a_token_still_valid_works_beside_an_expired_one_which_is_then_gone(user, django_assert_max_num_queries):
    expired, valid = login(user)["token"], login(user)["token"]
    expired_key = expired[:15]
    AuthToken.objects.filter(user=user, token_key=expired_key).update(expiry=timezone.now() - timedelta(seconds=1))
    other = UserFactory()
    other_token = AuthToken.objects.create(user=other)[1]

    # One query finds the token with the user's other tokens, one more deletes the expired one.
    with django_assert_max_num_queries(2, info="authentication only"):
        assert client_with(valid).get("/api/processes/").status_code == 200
    assert client_with(expired).get("/api/processes/").status_code == 401
    assert client_with(valid).get("/api/processes/").status_code == 200
    assert not AuthToken.objects.filter(token_key=expired_key).exists()
    assert client_with(other_token).get("/api/processes/").status_code == 200


def test_logout_revokes_the_token_it_was_sent_with_and_no_other(user):
    kept, revoked = login(user)["token"], login(user)["token"]

    assert client_with(revoked).post("/api/auth/logout/").status_code == 204

    assert client_with(revoked).get("/api/plants/").status_code == 401
    assert client_with(kept).get("/api/plants/").status_code == 200


def test_logout_all_revokes_every_token_of_the_user_and_no_one_else(user):
    tokens = [login(user)["token"] for _ in range(3)]
    other = UserFactory()
    other.set_password(PASSWORD)
    other.save()
    others_token = login(other)["token"]

    assert client_with(tokens[0]).post("/api/auth/logout-all/").status_code == 204

    assert [client_with(token).get("/api/plants/").status_code for token in tokens] == [401, 401, 401]
    assert client_with(others_token).get("/api/plants/").status_code == 200


@pytest.mark.parametrize("change", ["unusable", "changed"])
def test_a_password_made_unusable_or_changed_ends_the_tokens(user, change):
    token = login(user)["token"]

    if change == "unusable":
        user.set_unusable_password()
    else:
        user.set_password("another-pass-Caroni")
    user.save()

    assert client_with(token).get("/api/plants/").status_code == 401


def test_a_deactivated_user_token_is_refused(user):
    token = login(user)["token"]
    user.is_active = False
    user.save()

    assert client_with(token).get("/api/plants/").status_code == 401


def test_the_browsable_api_session_still_signs_out(user, client):
    client.force_login(user)

    response = client.post("/api/auth/logout/")

    assert response.status_code in (200, 204, 302)
    assert client.get("/api/plants/").status_code in (401, 403)
