"""`manage.py load_rates <file>`: a spreadsheet of dates and rates, loaded whole or not at all."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from exchange.models import ExchangeRate


def rates_on_file():
    return dict(ExchangeRate.objects.values_list("date", "rate"))


def test_a_csv_in_spanish_loads_every_rate(db, tmp_path):
    path = tmp_path / "tasas.csv"
    path.write_text("Fecha;Tasa;Fuente\n27/11/2026;245,6712;BCV\n2026-11-30;247.10;manual\n", encoding="utf-8")

    call_command("load_rates", str(path), verbosity=0)

    assert rates_on_file() == {
        datetime.date(2026, 11, 27): Decimal("245.6712"),
        datetime.date(2026, 11, 30): Decimal("247.10"),
    }
    assert ExchangeRate.objects.get(date=datetime.date(2026, 11, 30)).source == ExchangeRate.Source.MANUAL


def test_a_workbook_with_date_cells_loads(db, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["date", "rate"])
    workbook.active.append([datetime.datetime(2026, 11, 27), 245.5])
    path = tmp_path / "rates.xlsx"
    workbook.save(path)

    call_command("load_rates", str(path), verbosity=0)

    assert rates_on_file() == {datetime.date(2026, 11, 27): Decimal("245.5")}


def test_one_bad_row_writes_nothing_and_every_problem_is_named(db, tmp_path):
    path = tmp_path / "tasas.csv"
    path.write_text(
        "fecha,tasa\n2026-11-27,245.50\n2026-11-30,abc\n2026-12-01,-2\n27/11/2026,246\nmañana,250\n", encoding="utf-8"
    )

    with pytest.raises(CommandError) as refusal:
        call_command("load_rates", str(path), verbosity=0)

    message = str(refusal.value)
    assert "line 3, tasa" in message
    assert "line 4, tasa" in message
    assert "line 5, fecha: The same date as line 2." in message
    assert "line 6, fecha" in message
    assert not ExchangeRate.objects.exists()


def test_a_day_already_entered_is_a_row_error(world, tmp_path):
    path = tmp_path / "tasas.csv"
    path.write_text(f"fecha,tasa\n{world.rate.date.isoformat()},41\n2026-11-27,245\n", encoding="utf-8")

    with pytest.raises(CommandError, match="line 2, fecha: A rate for this date is already entered."):
        call_command("load_rates", str(path), verbosity=0)

    assert rates_on_file() == {world.rate.date: Decimal("40")}


def test_a_file_without_the_rate_column_is_refused(db, tmp_path):
    path = tmp_path / "tasas.csv"
    path.write_text("fecha,precio\n2026-11-27,245\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Missing column"):
        call_command("load_rates", str(path), verbosity=0)
