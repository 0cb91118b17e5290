"""A match's explanation is written when it is read, in the reader's language: API, pages, admin, e-mail."""

import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import translation

from exchange.models import Match
from inventory import services as inventory_services

ENGLISH = "(same part, new): covers 2 of 2 units."
SPANISH = "(mismo repuesto, nuevo): cubre 2 de 2 unidades."


@pytest.fixture(autouse=True)
def language_restored():
    # A page read in Spanish leaves Spanish active on this thread (LocaleMiddleware): the next tests expect theirs.
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.mark.parametrize("language, sentence", [("en", ENGLISH), ("es", SPANISH)])
def test_the_api_reads_the_same_match_in_the_language_asked_for(world, language, sentence):
    response = world.client("owner").get(f"/api/matches/{world.match.pk}/", HTTP_ACCEPT_LANGUAGE=language)

    summary = response.json()["explanation"]["summary"]
    assert summary.endswith(sentence)
    assert summary.startswith({"en": "In stock", "es": "En existencia a"}[language])


@pytest.mark.parametrize("language, sentence", [("en", ENGLISH), ("es", SPANISH)])
def test_the_match_page_and_the_admin_speak_the_readers_language(world, language, sentence):
    page = Client()
    page.force_login(world.users["owner"])
    admin = Client()
    admin.force_login(world.users["admin"])

    for client, path in (
        (page, f"/matches/{world.match.pk}/"),
        (admin, f"/admin/exchange/match/{world.match.pk}/change/"),
    ):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert sentence in response.content.decode(), path


def test_each_email_gives_the_explanation_in_its_recipients_language(world, django_capture_on_commit_callbacks):
    inventory_services.profile_language_set(user=world.users["owner"], language="en")
    world.match.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        world.quote_and_approve()

    bodies = [message.body for message in mail.outbox if world.users["owner"].email in message.to]
    assert bodies and all(ENGLISH in body for body in bodies)
    assert not any(SPANISH in body for body in bodies)


def test_explanations_stored_as_spanish_sentences_become_facts(world):
    # given the explanation a match stored before its facts were kept
    old = dict(world.match.explanation)
    for fact in ("own_store", "units", "needed"):
        old.pop(fact)
    old["summary"] = "En existencia a 99 km (mismo repuesto, nuevo): 2 de 2 unidades."
    Match.objects.filter(pk=world.match.pk).update(explanation=old)
    migration = importlib.import_module("exchange.migrations.0007_explanation_facts")

    migration.explanations_to_facts(apps, None)

    match = Match.objects.get(pk=world.match.pk)
    assert "summary" not in match.explanation
    with translation.override("en"):
        assert match.summary.endswith(ENGLISH)


def test_an_explanation_without_facts_is_shown_as_it_was_written(world):
    Match.objects.filter(pk=world.match.pk).update(explanation={"summary": "Visto en la feria de Maracaibo."})

    assert Match.objects.get(pk=world.match.pk).summary == "Visto en la feria de Maracaibo."
