"""Exchange rates: the bolívares a dollar cost on each day, entered one by one or loaded from a spreadsheet.

The rate of a day is the latest published on or before it: the Central Bank
publishes on working days, so a Saturday or a holiday keeps the rate of the
last working day before it.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inventory import access
from inventory.spreadsheets import ImportReport, RowError, _BadCell, _columns, _number, plain_words, read_table

from .models import ExchangeRate

RATE_COLUMNS = {
    "date": ["fecha", "date", "dia", "day"],
    "rate": ["tasa", "rate", "bs por usd", "bs usd", "ves por usd", "ves usd", "bolivares por dolar"],
    "source": ["fuente", "source", "origen"],
}
# Sources as people write them, compared as plain_words().
SOURCE_WORDS = {
    "bcv": ExchangeRate.Source.BCV,
    "banco central": ExchangeRate.Source.BCV,
    "banco central de venezuela": ExchangeRate.Source.BCV,
    "manual": ExchangeRate.Source.MANUAL,
    "a mano": ExchangeRate.Source.MANUAL,
}


def exchange_rate_in_force(*, day: datetime.date, currency: str = ExchangeRate.Currency.VES) -> ExchangeRate | None:
    """The rate published on ``day`` or, failing one, the latest before it; None before the first rate."""
    return ExchangeRate.objects.filter(currency=currency, date__lte=day).order_by("-date").first()


def _refuse_second_rate_of_day(exchange_rate: ExchangeRate) -> None:
    taken = ExchangeRate.objects.filter(currency=exchange_rate.currency, date=exchange_rate.date)
    if taken.exclude(pk=exchange_rate.pk).exists():
        raise ValidationError(
            {"date": [_("A rate for %(date)s is already entered; change that one.") % {"date": exchange_rate.date}]}
        )


def exchange_rate_save(*, exchange_rate: ExchangeRate, user) -> ExchangeRate:
    """Enter or correct one day's rate. Quotes already converted keep the rate they were converted at."""
    access.require_administrator(user)
    if exchange_rate.created_by_id is None:
        exchange_rate.created_by = access.person(user)
    _refuse_second_rate_of_day(exchange_rate)
    exchange_rate.full_clean(exclude=["created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            exchange_rate.save()
    except IntegrityError as error:
        # Another administrator entered the same day between the check and the save.
        _refuse_second_rate_of_day(exchange_rate)
        raise error
    return exchange_rate


# Loading a file of dates and rates


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise _BadCell(_("The date is missing."))
    # ISO as exports write it, and day/month/year as people in Venezuela write it.
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _BadCell(_("“%(value)s” is not a date: write it as 2026-11-27 or 27/11/2026.") % {"value": text[:40]})


def _rate(text: str) -> Decimal:
    if not text:
        raise _BadCell(_("The rate is missing."))
    rate = _number(text, _("“%(value)s” is not a number."))
    if rate <= 0:
        raise _BadCell(_("The rate must be greater than zero."))
    field = ExchangeRate._meta.get_field("rate")
    if rate != rate.quantize(Decimal(1).scaleb(-field.decimal_places)) or rate.adjusted() >= (
        field.max_digits - field.decimal_places
    ):
        raise _BadCell(
            _("Give at most %(digits)d digits before the decimal point and %(places)d after it.")
            % {"digits": field.max_digits - field.decimal_places, "places": field.decimal_places}
        )
    return rate


def _source(text: str) -> str:
    if not text:
        return ExchangeRate.Source.BCV
    source = SOURCE_WORDS.get(plain_words(text))
    if source is None:
        raise _BadCell(_("“%(value)s” is not a source: write bcv or manual.") % {"value": text[:40]})
    return source


def exchange_rates_import(
    *, upload, user, name: str = "", progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Load a file of dates and rates, all rows or none: a day already entered, or entered twice, is a row error.

    Raises SpreadsheetRefused for a file that cannot be read as a whole.
    """
    access.require_administrator(user)
    table = read_table(upload, name=name)
    columns = _columns(table.headers, RATE_COLUMNS, required={"date": _("date"), "rate": _("rate")})
    report = ImportReport(dry_run=False, ignored_columns=columns.ignored)
    rates, lines_by_date = [], {}
    for line, cells in table.rows:
        row = {}
        # A workbook's date cell arrives as a date, which columns.cell would turn into text.
        date_position = columns.index["date"]
        cell_values = {
            "date": cells[date_position] if date_position < len(cells) else None,
            "rate": columns.cell(cells, "rate"),
            "source": columns.cell(cells, "source"),
        }
        for key, parse in (("date", _date), ("rate", _rate), ("source", _source)):
            try:
                row[key] = parse(cell_values[key])
            except _BadCell as bad:
                report.errors.append(RowError(line, columns.header.get(key, key), str(bad)))
        if "date" in row:
            if row["date"] in lines_by_date:
                report.errors.append(
                    RowError(
                        line,
                        columns.header["date"],
                        _("The same date as line %(line)d.") % {"line": lines_by_date[row["date"]]},
                    )
                )
            lines_by_date.setdefault(row["date"], line)
        if len(row) == 3:
            rates.append((line, ExchangeRate(created_by=access.person(user), **row)))
        if progress:
            progress(1)
    entered = set(
        ExchangeRate.objects.filter(currency=ExchangeRate.Currency.VES, date__in=list(lines_by_date)).values_list(
            "date", flat=True
        )
    )
    for line, exchange_rate in rates:
        if exchange_rate.date in entered:
            report.errors.append(RowError(line, columns.header["date"], _("A rate for this date is already entered.")))
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        return report
    try:
        with transaction.atomic():
            ExchangeRate.objects.bulk_create([exchange_rate for _line, exchange_rate in rates])
    except IntegrityError:
        # Someone entered one of these days while the file was read: nothing of it is written.
        report.errors.append(RowError(0, columns.header["date"], _("A rate for one of these dates was just entered.")))
        return report
    report.counts = {"rates": len(rates)}
    return report
