"""The language switch keeps a signed-in person's choice, which their e-mails then follow."""

from django.conf import settings

from inventory.models import Profile
from tests.factories import UserFactory


def switch(client, language):
    return client.post("/i18n/setlang/", {"language": language, "next": "/"})


def test_a_signed_in_person_who_switches_keeps_the_language(client, db):
    user = UserFactory()
    client.force_login(user)

    response = switch(client, "en")
    switch(client, "es")

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert Profile.objects.get(user=user).language == "es"


def test_a_visitor_who_switches_only_gets_the_cookie(client, db):
    response = switch(client, "en")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not Profile.objects.exists()


def test_a_language_the_site_does_not_offer_is_ignored(client, db):
    user = UserFactory()
    client.force_login(user)

    response = switch(client, "fr")

    assert response.status_code == 302
    assert not Profile.objects.filter(user=user).exists()
