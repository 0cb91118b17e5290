"""A hostile cell is that row's error, in the file's own column, at a bounded cost: never a 500, 503 or a stalled worker."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from inventory import spreadsheets
from inventory.access import SYSTEM
from inventory.limits import MAX_QUANTITY
from inventory.models import Capability, StockItem
from tests.conftest import client_for
from tests.factories import PartFactory, stock_item

from .test_import_stock import xlsx_file

pytestmark = pytest.mark.django_db

HOSTILE_QUANTITIES = [
    "1e999999999",
    "Infinity",
    "-Infinity",
    "sNaN",
    "NaN",
    "1e10",
    "2147483648",
    "99999999999999999999999",
    str(MAX_QUANTITY + 1),
    "9" * 5000,
]


@pytest.fixture(autouse=True)
def language_restored():
    # A request in Spanish leaves Spanish active in this thread for the tests after it.
    with translation.override("en"):
        yield


@pytest.fixture
def bearing(db):
    return PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS")])


def upload(quantity: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("stock.csv", f"numero de parte,cantidad\n6205-2RS,{quantity}\n".encode(), "text/csv")


def send(client, plant, quantity, *, dry_run):
    return client.post(
        "/api/stock/import/",
        {"file": upload(quantity), "plant": plant.pk, "dry_run": "true" if dry_run else "false"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="es",
    )


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry_run", "real"])
@pytest.mark.parametrize("quantity", HOSTILE_QUANTITIES, ids=lambda value: value[:24])
def test_a_hostile_quantity_is_the_rows_error_in_spanish(plant, plant_member, bearing, quantity, dry_run):
    response = send(client_for(plant_member), plant, quantity, dry_run=dry_run)

    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert error["line"] == 2 and error["column"] == "cantidad"
    assert "no es un número entero" in error["reason"] or "debe estar entre 0 y 1000000" in error["reason"]
    assert not StockItem.objects.exists()


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry_run", "real"])
def test_an_existing_item_counted_past_the_limit_keeps_its_count(plant, plant_member, bearing, dry_run):
    item = stock_item(plant=plant, part=bearing, quantity=4)

    response = send(client_for(plant_member), plant, "99999999999", dry_run=dry_run)

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["column"] == "cantidad"
    item.refresh_from_db()
    assert item.quantity == 4


def test_the_import_accepts_the_apis_limit_itself(plant, plant_member, bearing):
    response = send(client_for(plant_member), plant, str(MAX_QUANTITY), dry_run=False)

    assert response.status_code == 200, response.content
    assert StockItem.objects.get().quantity == MAX_QUANTITY
    assert (
        client_for(plant_member).get(f"/api/stock/?plant={plant.pk}").json()["results"][0]["quantity"] == MAX_QUANTITY
    )


def test_a_huge_exponent_is_answered_within_a_second(plant, plant_member, bearing):
    client = client_for(plant_member)

    started = time.perf_counter()
    response = send(client, plant, "1e999999999", dry_run=True)
    elapsed = time.perf_counter() - started

    assert response.status_code == 400
    assert elapsed < 1.0, elapsed


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 1e300, 2147483648, 1.5])
def test_hostile_numbers_in_an_xlsx_cell_are_the_rows_error(plant, plant_member, bearing, value):
    workbook = xlsx_file([["numero de parte", "cantidad"], ["6205-2RS", value]])
    file = SimpleUploadedFile("stock.xlsx", workbook.getvalue())

    response = client_for(plant_member).post(
        "/api/stock/import/", {"file": file, "plant": plant.pk}, format="multipart", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["column"] == "cantidad"


@pytest.mark.parametrize(
    "column, value",
    [
        ("plazo de entrega", "1e999999999"),
        ("plazo de entrega", "99999999999"),
        ("grado IT", "sNaN"),
        ("grado IT", "19"),
        ("diametro max (mm)", "Infinity"),
        ("diametro max (mm)", "1e999999999"),
        ("diametro max (mm)", "99999999999"),
        ("diametro max (mm)", "1.00001"),
    ],
)
def test_a_hostile_capability_cell_is_the_rows_error(plant, column, value):
    content = f"proceso,{column}\ntorneado,{value}\n".encode()

    with translation.override("es"):
        report = spreadsheets.import_capabilities(plant=plant, upload=io.BytesIO(content), user=SYSTEM)

    assert [(error.line, error.column) for error in report.errors] == [(2, column)]
    assert not Capability.objects.exists()
