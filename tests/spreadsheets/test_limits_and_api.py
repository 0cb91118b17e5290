import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory import spreadsheets
from inventory.access import SYSTEM
from inventory.models import Capability, StockItem
from inventory.services import NumberSpec, part_create
from tests.conftest import client_for
from tests.factories import MaterialFactory, PartFactory, PlantFactory, stock_item

from .test_import_stock import csv_file, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearing(db):
    return PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS")])


def refusal(upload, plant):
    with pytest.raises(spreadsheets.SpreadsheetRefused) as caught:
        spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=upload)
    return caught.value.message


def test_a_file_over_the_size_limit_is_refused(plant, settings):
    settings.SPREADSHEET_MAX_BYTES = 1024

    message = refusal(csv_file("part number,quantity\n" + "6205-2RS,1\n" * 200), plant)

    assert "larger than" in message


def test_a_file_over_the_row_limit_is_refused(plant, settings):
    settings.SPREADSHEET_MAX_ROWS = 3

    message = refusal(csv_file("part number,quantity\n" + "6205-2RS,1\n" * 4), plant)

    assert "more than the 3 rows" in message


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\n\x00\x01\x02binary", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)), bytes(range(256)) * 4],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_whatever_its_name(plant, content):
    upload = io.BytesIO(content)

    with pytest.raises(spreadsheets.SpreadsheetRefused, match="neither a CSV nor an XLSX"):
        spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=upload, name="stock.csv")


def test_a_zip_that_is_not_a_workbook_is_refused(plant):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    buffer.seek(0)

    assert "not an XLSX" in refusal(buffer, plant)


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(plant, settings):
    settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES = 1_000_000
    workbook = xlsx_file([["part number", "quantity"], ["6205-2RS", 1]])
    bomb = io.BytesIO()
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("xl/media/padding.bin", b"\x00" * 5_000_000)
    bomb.seek(0)

    assert len(bomb.getvalue()) < 100_000
    assert "zip bomb" in refusal(bomb, plant)


def test_a_file_without_the_required_columns_is_refused(plant):
    assert "Missing column(s): quantity" in refusal(csv_file("part number,location\n6205-2RS,A\n"), plant)


def test_export_escapes_cells_that_would_run_as_formulas(plant):
    part = PartFactory(name='=HYPERLINK("http://evil")', numbers=[("ACME", "+1-555")])
    stock_item(plant=plant, part=part, quantity=2, location="@SUM(A1)")

    rows = list(csv.reader(io.StringIO(spreadsheets.export_stock(plant=plant, file_format="csv").decode("utf-8-sig"))))

    assert rows[0][:2] == ["part number", "brand"]
    assert rows[1][0] == "'+1-555"
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    assert "'@SUM(A1)" in rows[1]


def test_exported_stock_can_be_imported_again_unchanged(plant, bearing):
    item = stock_item(plant=plant, part=bearing, quantity=6, location="A-1", condition="used")
    exported = spreadsheets.export_stock(plant=plant, file_format="xlsx")

    report = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=io.BytesIO(exported))

    assert report.ok, report.errors
    assert report.counts["unchanged"] == 1
    item.refresh_from_db()
    assert item.quantity == 6


def test_catalogue_export_lists_every_number(bearing):
    sheet = openpyxl.load_workbook(io.BytesIO(spreadsheets.export_catalogue(file_format="xlsx"))).active

    rows = list(sheet.iter_rows(values_only=True))

    assert "SKF 6205-2RS" in rows[1]


# Capabilities


def test_capabilities_load_with_spanish_labels_and_material_designations(shop):
    steel = MaterialFactory(name="AISI 1045")
    steel.designations.create(designation="C45")
    upload = csv_file(
        "proceso,materiales,diámetro máx (mm),longitud máxima (mm),mejor grado IT,plazo de entrega (días)\n"
        'Torneado,c-45,400,"1500,5",7,10\n'
        "motor_rewinding,,,,,\n"
    )

    report = spreadsheets.import_capabilities(user=SYSTEM, plant=shop, upload=upload)

    assert report.ok, report.errors
    turning = Capability.objects.get(plant=shop, process="turning")
    assert list(turning.materials.all()) == [steel]
    assert (turning.max_diameter_mm, str(turning.max_length_mm), turning.best_it_grade) == (400, "1500.500", 7)
    assert turning.lead_time_days == 10
    assert Capability.objects.filter(plant=shop, process="motor_rewinding").exists()


def test_capabilities_import_updates_and_refuses_bad_rows_as_a_whole(shop):
    spreadsheets.import_capabilities(user=SYSTEM, plant=shop, upload=csv_file("process,max diameter\nturning,300\n"))

    report = spreadsheets.import_capabilities(
        user=SYSTEM,
        plant=shop,
        upload=csv_file(
            "process,max diameter,best IT grade,materials\nturning,500,\nknitting,1,\nmilling,,40,\ngrinding,,,unobtainium\n"
        ),
    )

    assert [(error.line, error.column) for error in report.errors] == [
        (3, "process"),
        (4, "best IT grade"),
        (5, "materials"),
    ]
    assert Capability.objects.get(plant=shop).max_diameter_mm == 300


def test_import_capabilities_command(shop, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "taller.xlsx"
    path.write_bytes(xlsx_file([["Proceso", "Plazo (días)"], ["Soldadura", 3]]).getvalue())

    call_command("import_capabilities", shop.name, str(path), stdout=io.StringIO())

    assert Capability.objects.get(plant=shop).process == "welding"


# API


def upload_for(content: str, name="stock.csv"):
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_member_imports_through_the_api_and_gets_each_row(plant, plant_member, bearing):
    response = client_for(plant_member).post(
        "/api/stock/import/",
        {"file": upload_for("part number,quantity\n6205-2RS,5\n"), "plant": plant.pk},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["counts"]["created"] == 1
    assert body["rows"][0]["line"] == 2 and body["rows"][0]["action"] == "created"
    assert StockItem.objects.get(plant=plant).movements.get().user == plant_member


def test_member_cannot_import_into_another_plant(plant_member, bearing):
    other = PlantFactory()

    response = client_for(plant_member).post(
        "/api/stock/import/",
        {"file": upload_for("part number,quantity\n6205-2RS,5\n"), "plant": other.pk},
        format="multipart",
    )

    assert response.status_code == 403
    assert not StockItem.objects.exists()


def test_api_answers_400_with_the_row_errors(plant, plant_member):
    response = client_for(plant_member).post(
        "/api/stock/import/",
        {"file": upload_for("part number,quantity\nNOPE,5\n"), "plant": plant.pk, "create_parts": "false"},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "line": 2,
        "column": "part number",
        "reason": "No part in the catalogue has the number NOPE.",
    }


def test_api_create_parts_and_dry_run(plant, plant_member):
    content = "part number,name,quantity\nNEW-1,Buje,5\n"
    client = client_for(plant_member)

    dry = client.post(
        "/api/stock/import/",
        {"file": upload_for(content), "plant": plant.pk, "create_parts": "true", "dry_run": "true"},
        format="multipart",
    )
    real = client.post(
        "/api/stock/import/",
        {"file": upload_for(content), "plant": plant.pk, "create_parts": "true"},
        format="multipart",
    )

    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert real.json()["counts"]["parts_created"] == 1
    assert StockItem.objects.get(plant=plant).quantity == 5


def test_api_refuses_a_file_that_is_not_a_spreadsheet(plant, plant_member):
    upload = SimpleUploadedFile("stock.xlsx", b"\x00\x01binary" * 50)

    response = client_for(plant_member).post(
        "/api/stock/import/", {"file": upload, "plant": plant.pk}, format="multipart"
    )

    assert response.status_code == 400 and "neither a CSV nor an XLSX" in response.json()["file"][0]


def test_template_download_has_the_import_columns(plant_member):
    response = client_for(plant_member).get("/api/stock/template/?format=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.CONTENT_TYPES["xlsx"]
    headers = next(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert headers[:4] == ("part number", "brand", "name", "quantity")


def test_stock_export_over_the_api(plant, plant_member, bearing):
    stock_item(plant=plant, part=bearing, quantity=4)

    response = client_for(plant_member).get(f"/api/stock/export/?plant={plant.pk}&format=csv")

    assert response.status_code == 200
    assert "6205-2RS" in response.content.decode("utf-8-sig")


def test_spreadsheet_endpoints_need_authentication():
    assert client_for(None).get("/api/stock/template/").status_code == 401


@pytest.mark.django_db
def test_catalogue_export_drops_control_characters_an_xlsx_cell_cannot_hold():
    part_create(user=SYSTEM, name="Rodamiento\x07 6205\x1b", numbers=[NumberSpec("SKF", "6205-2RSH")])

    exported = spreadsheets.export_catalogue(file_format="xlsx")

    names = [row[1] for row in openpyxl.load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True)]
    assert "Rodamiento 6205" in names
