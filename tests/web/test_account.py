"""Signing in and out, the acting plant, and the language switch."""

import pytest
from django.test import Client

from .conftest import PASSWORD


def test_visitors_find_the_spanish_sign_in_form_at_the_root(db, client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    assert 'action="/login/"' in page
    assert "Iniciar sesión" in page and 'lang="es"' in page


def test_a_member_signs_in_and_lands_on_the_plant_home(client, member, plant):
    response = client.post("/login/", {"username": member.username, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert plant.name in home.content.decode()


def test_sign_in_returns_to_the_page_asked_for(client, member):
    assert client.get("/plant/")["Location"] == "/login/?next=/plant/"

    response = client.post(
        "/login/?next=/plant/", {"username": member.username, "password": PASSWORD, "next": "/plant/"}
    )

    assert response["Location"] == "/plant/"


def test_sign_in_never_sends_anyone_to_another_site(client, member):
    response = client.post(
        "/login/", {"username": member.username, "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_a_wrong_password_shows_the_form_again_with_a_spanish_error(client, member):
    response = client.post("/login/", {"username": member.username, "password": "wrong"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "no coinciden" in page
    assert page.count('name="username"') == 1


def test_sign_out_is_a_post_and_ends_the_session(member_client):
    assert member_client.get("/logout/").status_code == 405

    response = member_client.post("/logout/")

    assert response.status_code == 302
    assert member_client.get("/").content.decode().count('name="password"') == 1


def test_an_administrator_without_a_plant_is_told_so_and_pointed_to_the_admin(staff_client):
    response = staff_client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "No actúa por ninguna planta" in page
    assert 'href="/admin/"' in page


def test_a_user_without_a_plant_is_told_so_without_a_link_to_the_admin(plantless_user):
    page = Client()
    page.force_login(plantless_user)

    response = page.get("/")

    assert "No actúa por ninguna planta" in response.content.decode()
    assert 'href="/admin/"' not in response.content.decode()


def test_a_member_of_one_plant_acts_for_it_without_choosing(member_client, plant):
    page = member_client.get("/").content.decode()

    assert plant.name in page
    assert 'href="/plant/"' not in page


def test_a_member_of_several_plants_chooses_first_then_acts_for_the_choice(several_client, plant, other_plant):
    # given: nothing chosen yet
    response = several_client.get("/")
    assert response["Location"] == "/plant/?next=%2F"
    choices = several_client.get("/plant/?next=/").content.decode()
    assert plant.name in choices and other_plant.name in choices

    # when
    response = several_client.post("/plant/", {"plant": other_plant.pk, "next": "/"})

    # then
    assert response["Location"] == "/"
    home = several_client.get("/").content.decode()
    assert f'<a href="/plant/" title="Cambiar de planta">{other_plant.name}</a>' in home


def test_choosing_a_plant_one_does_not_act_for_is_a_form_error(several_client, member_client, db):
    from tests.factories import PlantFactory

    foreign = PlantFactory(name="Planta ajena")

    for client in (several_client, member_client):
        response = client.post("/plant/", {"plant": foreign.pk})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Elija una de las plantas por las que actúa." in page
        assert 'href="#id_plant_0"' in page
        assert "Planta ajena" not in page


@pytest.mark.parametrize("value", ["abc", "", "999999"])
def test_a_malformed_plant_choice_is_a_form_error(several_client, value):
    assert several_client.post("/plant/", {"plant": value}).status_code == 200


def test_a_removed_membership_takes_effect_at_once(several_client, several_member, other_plant):
    several_client.post("/plant/", {"plant": other_plant.pk})
    several_member.memberships.filter(plant=other_plant).delete()

    home = several_client.get("/").content.decode()

    assert other_plant.name not in home


def test_the_language_switch_is_a_form_on_every_page_and_returns_to_it(member_client, client, db):
    for page in (client.get("/"), member_client.get("/"), member_client.get("/plant/")):
        html = page.content.decode()
        assert 'action="/i18n/setlang/"' in html and 'name="language" value="en"' in html

    response = member_client.post("/i18n/setlang/", {"language": "en", "next": "/plant/"})

    assert response["Location"] == "/plant/"
    english = member_client.get("/").content.decode()
    assert 'lang="en"' in english and "Sign out" in english
    assert 'name="language" value="es"' in english


def test_password_guesses_at_the_sign_in_page_are_throttled_like_the_other_logins(db, client, monkeypatch):
    from django.core.cache import cache

    from config.login import LoginRateThrottle

    monkeypatch.setattr(LoginRateThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    cache.clear()

    statuses = [client.post("/login/", {"username": "x", "password": f"guess-{n}"}).status_code for n in range(4)]

    cache.clear()
    assert statuses == [200, 200, 200, 429]


def test_the_plant_chooser_costs_a_few_queries(several_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert several_client.get("/plant/").status_code == 200
