"""Every page, admin page and API error, under the default language, shows no English the catalogue translates."""

import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from tests.web.conftest import signed_in
from tests.world import client_for

# English that comes from outside the catalogue: Django's, DRF's and the models' own names.
KNOWN_ENGLISH = [
    "matches the given query",
    "JSON parse error",
    "Not found.",
    "This field is required.",
    "Authentication credentials were not provided.",
    "You do not have permission",
    "is not a valid",
    'Method "',
    "Select a valid choice",
    "Ensure this value",
]


def english_phrases() -> list[str]:
    """The catalogue's sentences that its Spanish changes; words alone would match names and data."""
    mo = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.mo"
    with open(mo, "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    return [
        msgid
        for msgid, msgstr in catalogue.items()
        if isinstance(msgid, str) and msgstr != msgid and len(msgid.split()) >= 3 and not re.search(r"[%{<]", msgid)
    ] + KNOWN_ENGLISH


def visible_text(response) -> str:
    text = response.content.decode()
    if "html" in response.get("Content-Type", ""):
        text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.DOTALL)
        text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def english_in(responses: dict) -> dict:
    phrases = english_phrases()
    found = {}
    for where, response in responses.items():
        text = visible_text(response)
        if hits := [phrase for phrase in phrases if phrase in text]:
            found[where] = hits
    return found


@pytest.fixture
def spanish_by_default(settings):
    settings.LANGUAGE_CODE = "es"


def test_the_plants_pages_speak_spanish(world, spanish_by_default):
    owner, shop = signed_in(world.users["owner"]), signed_in(world.users["shop"])
    pages = {
        "/login/": Client().get("/login/"),
        **{
            path: owner.get(path)
            for path in [
                "/",
                "/requests/",
                "/requests/new/",
                f"/requests/{world.request.pk}/",
                f"/matches/{world.match.pk}/",
                "/stock/",
                "/stock/new/",
                "/stock/import/",
                f"/stock/{world.owner_stock.pk}/",
                "/board/",
                "/notifications/",
            ]
        },
        **{
            path: shop.get(path)
            for path in [
                f"/requests/{world.request.pk}/offer/",
                "/capabilities/",
                "/capabilities/new/",
                f"/capabilities/{world.capability.pk}/",
            ]
        },
    }

    assert {path for path, response in pages.items() if response.status_code != 200} == set()
    assert english_in(pages) == {}


def test_the_admin_pages_speak_spanish(world, spanish_by_default):
    staff = signed_in(world.users["admin"])
    paths = ["/admin/", reverse("admin:exchange_dashboard")]
    # The permissions' names are rows Django writes in English when it migrates ("Can add match"):
    # the forms that list them are left out.
    for model in set(admin.site._registry) - {User, Group}:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths.append(reverse(f"{name}_changelist"))
        if model.objects.exists():
            paths.append(reverse(f"{name}_change", args=[model.objects.order_by("pk").first().pk]))
    pages = {path: staff.get(path) for path in paths}

    assert {path for path, response in pages.items() if response.status_code != 200} == set()
    assert english_in(pages) == {}


def test_the_api_errors_speak_spanish(world, spanish_by_default):
    owner, other = world.client("owner"), world.client("other")
    errors = {
        "404": owner.get("/api/matches/999999/"),
        "404 request": owner.get("/api/requests/999999/matches/"),
        "400 bad JSON": owner.post("/api/requests/", "{oops", content_type="application/json"),
        "400 fields": owner.post("/api/requests/", {"plant": world.owner_plant.pk, "quantity": 0}, format="json"),
        "401": client_for(None).get("/api/requests/"),
        "403": other.patch(f"/api/stock/{world.owner_stock.pk}/", {"quantity": 1}, format="json"),
        "405": owner.delete("/api/requests/"),
        "409": world.client("admin").post(f"/api/matches/{world.closed_request.pk}/fulfil/"),
    }

    assert {where: response.status_code for where, response in errors.items()} == {
        "404": 404,
        "404 request": 404,
        "400 bad JSON": 400,
        "400 fields": 400,
        "401": 401,
        "403": 403,
        "405": 405,
        "409": errors["409"].status_code,
    }
    assert english_in(errors) == {}


def test_the_browsable_api_titles_its_pages_in_spanish(world, spanish_by_default):
    owner = signed_in(world.users["owner"])
    paths = [
        "/api/",
        "/api/requests/",
        f"/api/requests/{world.request.pk}/",
        f"/api/requests/{world.request.pk}/matches/",
        "/api/matches/",
        f"/api/stock/{world.owner_stock.pk}/movements/",
        "/api/processes/",
        "/api/stats/",
        "/api/rates/",
        "/api/interchanges/",
        "/api/clearances/",
    ]
    titles = {}
    for path in paths:
        page = owner.get(path, headers={"accept": "text/html"}).content.decode()
        titles[path] = " ".join(re.search(r"<h1>(.*?)</h1>", page, flags=re.DOTALL)[1].split())

    assert titles == {
        "/api/": "Raíz de la API",
        "/api/requests/": "Solicitudes de repuestos",
        f"/api/requests/{world.request.pk}/": "Solicitud de repuesto",
        f"/api/requests/{world.request.pk}/matches/": "Propuestas",
        "/api/matches/": "Propuestas",
        f"/api/stock/{world.owner_stock.pk}/movements/": "Movimientos",
        "/api/processes/": "Procesos",
        "/api/stats/": "Estadísticas",
        "/api/rates/": "Tasas de cambio",
        "/api/interchanges/": "Intercambios",
        "/api/clearances/": "Constancias de no disponibilidad nacional",
    }


def test_the_browsable_apis_raw_data_form_speaks_spanish(world, spanish_by_default):
    owner = signed_in(world.users["owner"])

    page = owner.get("/api/requests/", headers={"accept": "text/html"}).content.decode()

    labels = [
        " ".join(label.split()).rstrip(":") for label in re.findall(r"<label[^>]*>(.*?)</label>", page, flags=re.DOTALL)
    ]
    assert "Tipo de contenido" in labels and "Contenido" in labels
    assert "Media type" not in labels and "Content" not in labels
