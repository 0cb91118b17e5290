import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from inventory import spreadsheets
from inventory.access import SYSTEM
from inventory.models import Part, StockItem, StockMovement
from tests.factories import PartFactory, PlantFactory, stock_item

pytestmark = pytest.mark.django_db


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def xlsx_file(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def ledger_matches(item: StockItem) -> bool:
    item.refresh_from_db()
    return (item.movements.aggregate(total=Sum("delta"))["total"] or 0) == item.quantity


@pytest.fixture
def bearing(db):
    return PartFactory(name="Rodamiento 6205", numbers=[("SKF", "6205-2RS"), ("FAG", "6205-2RSR")])


@pytest.fixture
def seal(db):
    return PartFactory(name="Retén 40x62", numbers=[("NOK", "AB-4062")])


def test_csv_file_loads_counts_through_the_ledger(plant, bearing, seal):
    upload = csv_file(
        "part number,brand,quantity,location,condition,exchangeable\n"
        "6205 2rs,SKF,12,A-1,new,yes\n"
        "AB4062,,3,B-2,used,no\n"
    )

    report = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=upload)

    assert report.ok and report.counts["created"] == 2
    item = StockItem.objects.get(plant=plant, part=bearing)
    assert (item.quantity, item.location, item.condition, item.exchangeable) == (12, "A-1", "new", True)
    used = StockItem.objects.get(plant=plant, part=seal)
    assert (used.quantity, used.condition, used.exchangeable) == (3, "used", False)
    assert item.movements.get().reason == StockMovement.Reason.IMPORT
    assert ledger_matches(item) and ledger_matches(used)


def test_xlsx_file_with_spanish_headers_loads(plant, bearing):
    upload = xlsx_file(
        [
            ["Número de Parte", "MARCA", "Cantidad", "Ubicación", "Condición", "Intercambiable"],
            ["FAG 6205-2RSR", None, 7, "Estante 3", "Reacondicionado", "Sí"],
        ]
    )

    report = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=upload)

    assert report.ok, report.errors
    item = StockItem.objects.get(plant=plant, part=bearing)
    assert (item.quantity, item.condition, item.location) == (7, "refurbished", "Estante 3")


def test_semicolon_csv_from_spanish_excel_loads(plant, bearing):
    upload = io.BytesIO("numero de parte;cantidad;ubicación\n6205-2RS;4;Depósito\n".encode("cp1252"))

    report = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=upload)

    assert report.ok, report.errors
    assert StockItem.objects.get(plant=plant, part=bearing).location == "Depósito"


def test_one_bad_row_writes_nothing_and_names_every_bad_row(plant, bearing, seal):
    upload = csv_file(
        "numero de parte,cantidad,condicion\n6205-2RS,5,nuevo\nAB-4062,dos,nuevo\nXYZ-999,1,nuevo\n6205-2RS,1,roto\n"
    )

    report = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=upload)

    assert not report.ok
    assert [(error.line, error.column) for error in report.errors] == [
        (3, "cantidad"),
        (4, "numero de parte"),
        (5, "condicion"),
    ]
    assert "dos" in report.errors[0].reason and "XYZ-999" in report.errors[1].reason
    assert not StockItem.objects.exists() and not StockMovement.objects.exists()


def test_reimporting_the_same_file_keeps_the_counts_it_states(plant, bearing, seal):
    content = "part number,quantity,location\n6205-2RS,10,A\nAB-4062,4,B\n"
    spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=csv_file(content))

    again = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=csv_file(content))
    counted_down = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=csv_file(content.replace(",10,", ",6,")))

    assert again.counts["unchanged"] == 2 and again.counts["created"] == 0
    assert counted_down.counts == {"rows": 2, "created": 0, "updated": 1, "unchanged": 1, "parts_created": 0}
    item = StockItem.objects.get(plant=plant, part=bearing)
    assert item.quantity == 6 and ledger_matches(item)
    assert list(item.movements.order_by("id").values_list("delta", flat=True)) == [10, -4]


def test_existing_item_is_counted_not_added_to(plant, bearing):
    item = stock_item(plant=plant, part=bearing, quantity=3, location="A")

    spreadsheets.import_stock(
        user=SYSTEM, plant=plant, upload=csv_file("part number,quantity,location\n6205-2RS,8,A\n")
    )

    item.refresh_from_db()
    assert item.quantity == 8 and ledger_matches(item)


def test_count_below_reserved_units_is_refused_and_writes_nothing(plant, bearing, seal):
    item = stock_item(plant=plant, part=bearing, quantity=5)
    StockItem.objects.filter(pk=item.pk).update(reserved=4)

    report = spreadsheets.import_stock(
        user=SYSTEM, plant=plant, upload=csv_file("part number,quantity\nAB-4062,9\n6205-2RS,2\n")
    )

    assert [(error.line, error.column) for error in report.errors] == [(3, "quantity")]
    assert "reserved" in report.errors[0].reason
    assert not StockItem.objects.filter(part=seal).exists()


def test_the_same_item_twice_in_one_file_is_an_error(plant, bearing):
    report = spreadsheets.import_stock(
        user=SYSTEM, plant=plant, upload=csv_file("part number,quantity\n6205-2RS,1\nFAG 6205-2RSR,2\n")
    )

    assert [(error.line, error.column) for error in report.errors] == [(3, "part number")]
    assert "Line 2" in report.errors[0].reason


def test_unknown_number_is_an_error_unless_parts_may_be_created(plant):
    content = "part number,brand,name,quantity\nNEW-77,ACME,Eje de bomba,2\nNEW 77,ACME,Eje de bomba,1\n"

    refused = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=csv_file(content.replace("NEW 77", "OTHER")))
    created = spreadsheets.import_stock(
        user=SYSTEM,
        plant=plant,
        upload=csv_file("part number,brand,name,quantity\nNEW-77,ACME,Eje de bomba,2\n"),
        create_parts=True,
    )

    assert [error.line for error in refused.errors] == [2, 3]
    assert created.counts["parts_created"] == 1
    part = Part.objects.get(numbers__normalized="NEW77")
    assert part.name == "Eje de bomba" and part.numbers.get().brand == "ACME"
    assert StockItem.objects.get(part=part).quantity == 2


def test_creating_a_part_needs_its_name(plant):
    report = spreadsheets.import_stock(
        user=SYSTEM, plant=plant, upload=csv_file("part number,quantity\nNEW-77,2\n"), create_parts=True
    )

    assert [(error.line, error.column) for error in report.errors] == [(2, "name")]
    assert not Part.objects.exists()


def test_dry_run_reports_without_writing(plant, bearing):
    report = spreadsheets.import_stock(
        user=SYSTEM, plant=plant, upload=csv_file("part number,quantity\n6205-2RS,3\n"), dry_run=True
    )

    assert report.ok and report.counts["created"] == 1 and report.rows[0]["action"] == "created"
    assert not StockItem.objects.exists()


def test_other_plants_stock_is_untouched(plant, bearing):
    elsewhere = stock_item(plant=PlantFactory(), part=bearing, quantity=9)

    spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=csv_file("part number,quantity\n6205-2RS,1\n"))

    elsewhere.refresh_from_db()
    assert elsewhere.quantity == 9


def test_command_loads_a_file_and_prints_a_summary(plant, bearing, tmp_path):
    path = tmp_path / "stock.csv"
    path.write_text("numero de parte,cantidad\n6205-2RS,11\n", encoding="utf-8")
    output = io.StringIO()

    call_command("import_stock", plant.name, str(path), stdout=output, verbosity=0)

    assert StockItem.objects.get(plant=plant).quantity == 11
    assert "created: 1" in output.getvalue()


def test_command_lists_bad_rows_and_writes_nothing(plant, tmp_path):
    path = tmp_path / "stock.csv"
    path.write_text("numero de parte,cantidad\nNOPE,1\n", encoding="utf-8")

    with pytest.raises(CommandError, match="line 2, numero de parte"):
        call_command("import_stock", str(plant.pk), str(path), verbosity=0)
    assert not StockItem.objects.exists()


def test_command_refuses_an_unknown_plant(tmp_path):
    path = tmp_path / "stock.csv"
    path.write_text("numero de parte,cantidad\n", encoding="utf-8")

    with pytest.raises(CommandError, match="No plant"):
        call_command("import_stock", "Nowhere", str(path), verbosity=0)


def test_import_queries_do_not_grow_with_the_rows(plant, django_assert_max_num_queries):
    parts = [PartFactory(numbers=[("ACME", f"Q-{index}")]) for index in range(60)]
    content = "part number,quantity\n" + "".join(f"Q-{index},{index + 1}\n" for index in range(len(parts)))

    with django_assert_max_num_queries(12):
        report = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=csv_file(content))

    assert report.counts["created"] == 60


def test_an_exported_formula_like_number_imports_back_as_it_was(plant):
    part = PartFactory(numbers=[("ACME", "-40-62")])
    stock_item(plant=plant, part=part, quantity=2)
    exported = spreadsheets.export_stock(plant=plant, file_format="csv")

    report = spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=io.BytesIO(exported))

    assert report.ok, report.errors
    assert report.rows[0]["part"] == part.pk and report.counts["unchanged"] == 1


def test_items_added_after_an_import_get_their_own_ids(plant, bearing, seal):
    spreadsheets.import_stock(user=SYSTEM, plant=plant, upload=csv_file("part number,quantity\n6205-2RS,1\n"))

    later = stock_item(plant=plant, part=seal, quantity=2)

    assert StockItem.objects.filter(plant=plant).count() == 2 and ledger_matches(later)
