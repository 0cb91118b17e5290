"""Loading a plant's store and workshop from a spreadsheet, and exporting them.

An import reads the whole file, validates every row, and only then writes, in
one transaction: a file with one bad row writes nothing and its report names
every bad row (line, column, reason). The file states counts: importing it
again leaves the quantities as it says.
"""

import csv
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV as CsvFormat
from import_export.formats.base_formats import XLSX as XlsxFormat

from . import access, services
from .errors import StockCountsRefused
from .limits import (
    ENVELOPE_DECIMAL_PLACES,
    MAX_ENVELOPE,
    MAX_IT_GRADE,
    MAX_LEAD_TIME_DAYS,
    MAX_QUANTITY,
    MIN_IT_GRADE,
)
from .models import Capability, MaterialDesignation, Part, Plant, StockItem
from .normalization import normalize_code
from .processes import Process
from .reference import process_labels_es
from .resources import CAPABILITY_HEADERS, FORMULA_STARTS, STOCK_HEADERS, PartResource, StockItemResource
from .selectors import part_ids_by_numbers

CSV, XLSX = "csv", "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Column keys and the headers people write for them, in Spanish and English,
# compared as plain_words().
STOCK_COLUMNS = {
    "number": ["numero de parte", "nro de parte", "no de parte", "part number", "part no", "numero", "number"],
    "brand": ["marca", "brand", "fabricante", "manufacturer"],
    "quantity": ["cantidad", "quantity", "qty", "existencia"],
    "location": ["ubicacion", "location"],
    "condition": ["condicion", "condition"],
    "exchangeable": ["intercambiable", "exchangeable"],
    "name": ["nombre", "name"],
    "description": ["descripcion", "description"],
    "category": ["categoria", "category"],
}
CAPABILITY_COLUMNS = {
    "process": ["proceso", "process"],
    "materials": ["materiales", "materials", "material"],
    "max_diameter_mm": ["diametro max", "max diameter"],
    "max_length_mm": ["longitud max", "largo max", "max length"],
    "max_weight_kg": ["peso max", "max weight"],
    "best_it_grade": ["mejor grado it", "grado it", "best it grade", "it grade"],
    "lead_time_days": ["plazo de entrega", "plazo", "tiempo de entrega", "lead time"],
    "notes": ["notas", "observaciones", "notes"],
}
_HEADER_WORDS = {"maximo": "max", "maxima": "max", "maximum": "max", "n": "no"}
_HEADER_UNITS = {"mm", "kg", "dias", "days", "d"}
CONDITION_WORDS = {
    StockItem.Condition.NEW: {"new", "nuevo", "nueva"},
    StockItem.Condition.REFURBISHED: {"refurbished", "reacondicionado", "reacondicionada", "reconstruido"},
    StockItem.Condition.USED: {"used", "usado", "usada"},
}
TRUE_WORDS = {"si", "yes", "true", "1", "x", "verdadero"}
FALSE_WORDS = {"no", "false", "0", "falso"}


class SpreadsheetRefused(Exception):
    """The file as a whole cannot be read: too large, too many rows, not a spreadsheet, missing columns."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (line number in the file, cells)


class _Rollback(Exception):
    """Leaves the import's transaction without writing (a dry run, or rows the model's checks refused)."""


# Cells repeat the same few words ("nuevo", "sí") thousands of times.
@functools.lru_cache(maxsize=4096)
def plain_words(text) -> str:
    """Text compared as a person means it: no case, accents, punctuation or trailing unit ("Diámetro máx (mm)")."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    words = "".join(char if char.isalnum() else " " for char in text).split()
    words = [_HEADER_WORDS.get(word, word) for word in words]
    while len(words) > 1 and words[-1] in _HEADER_UNITS:
        words.pop()
    return " ".join(words)


# Reading files


def read_table(upload, *, name: str = "") -> Table:
    """The rows of a CSV or XLSX file, told apart by their content, within the configured limits."""
    limit = settings.SPREADSHEET_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise SpreadsheetRefused(
            _("The file is larger than the %(limit)s MB allowed.") % {"limit": f"{limit / 1_048_576:g}"}
        )
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data)
    elif _looks_like_text(data):
        rows = _csv_rows(data)
    else:
        raise SpreadsheetRefused(_("%(name)s is neither a CSV nor an XLSX file.") % {"name": name or _("The file")})
    return _table(rows)


def _looks_like_text(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\r\n")
    return controls <= len(sample) // 100


def _csv_rows(data: bytes) -> Iterable[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Spanish on Windows saves CSV in its ANSI code page.
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        # Python's reader refuses a cell over 128 KB (csv.field_size_limit); no column needs that much.
        raise SpreadsheetRefused(
            _("Line %(line)d of the file cannot be read as CSV: %(error)s") % {"line": reader.line_num, "error": error}
        ) from error


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, list]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise SpreadsheetRefused(_("The file is not a valid XLSX workbook.")) from error
    if "xl/workbook.xml" not in archive.namelist():
        raise SpreadsheetRefused(_("The file is a zip archive but not an XLSX workbook."))
    # Checked before openpyxl inflates anything: a few kilobytes can declare gigabytes.
    # zipfile never inflates a member past the size it declares, so the declared sizes are the bound.
    if sum(member.file_size for member in members) > settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetRefused(_("The workbook expands to more data than allowed; it may be a zip bomb."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise SpreadsheetRefused(_("The XLSX workbook could not be read.")) from error
    try:
        for line, cells in enumerate(workbook.active.iter_rows(values_only=True), start=1):
            yield line, list(cells)
    finally:
        workbook.close()


def _table(rows: Iterable[tuple[int, list]]) -> Table:
    limit = settings.SPREADSHEET_MAX_ROWS
    headers, body = None, []
    for line, cells in rows:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        if headers is None:
            headers = [str(cell or "").strip() for cell in cells]
            continue
        if len(body) >= limit:
            raise SpreadsheetRefused(_("The file has more than the %(limit)d rows allowed.") % {"limit": limit})
        body.append((line, cells))
    if headers is None:
        raise SpreadsheetRefused(_("The file is empty."))
    return Table(headers=headers, rows=body)


@dataclass
class _Columns:
    """Which cell holds which column key, and the header the file wrote for it."""

    index: dict[str, int]
    header: dict[str, str]
    ignored: list[str]

    def cell(self, cells: list, key: str) -> str:
        position = self.index.get(key)
        if position is None or position >= len(cells) or cells[position] is None:
            return ""
        value = cells[position]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        # Undo the apostrophe that exports put before formula-like text, so an export imports back as it was.
        return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text


def _columns(headers: list[str], known: dict[str, list[str]], required: dict) -> _Columns:
    """Map the file's headers to column keys; ``required`` gives each required key's display header."""
    aliases = {plain_words(alias): key for key, names in known.items() for alias in names}
    index, header, ignored = {}, {}, []
    for position, text in enumerate(headers):
        key = aliases.get(plain_words(text))
        if key is None:
            if text:
                ignored.append(text)
            continue
        if key in index:
            raise SpreadsheetRefused(
                _("The columns %(first)s and %(second)s say the same thing; keep one.")
                % {"first": header[key], "second": text}
            )
        index[key], header[key] = position, text
    missing = [str(display) for key, display in required.items() if key not in index]
    if missing:
        raise SpreadsheetRefused(
            _("Missing column(s): %(columns)s. The first row must hold the column names.")
            % {"columns": ", ".join(missing)}
        )
    return _Columns(index=index, header=header, ignored=ignored)


# Cell values


class _BadCell(Exception):
    pass


# Digits, one optional decimal part and a short exponent, in a short cell: anything else ("Infinity", "sNaN",
# "1e999999999") is refused before Decimal() or int() could spend minutes or gigabytes on it.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d*)?(?:[eE][+-]?\d{1,2})?")
MAX_NUMBER_CHARACTERS = 40


def _shown(text: str) -> str:
    return text if len(text) <= MAX_NUMBER_CHARACTERS else f"{text[:MAX_NUMBER_CHARACTERS]}…"


def _number(text: str, message: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARACTERS or not _NUMBER.fullmatch(text):
        raise _BadCell(message % {"value": _shown(text)})
    return Decimal(text.replace(",", "."))


def _whole(text: str, *, minimum: int, maximum: int) -> int:
    value = _number(text, _("“%(value)s” is not a whole number."))
    if value != value.to_integral_value():
        raise _BadCell(_("“%(value)s” is not a whole number.") % {"value": _shown(text)})
    if value < minimum or value > maximum:
        raise _BadCell(
            _("The value must be between %(minimum)s and %(maximum)s.") % {"minimum": minimum, "maximum": maximum}
        )
    # Bounded above, so int() is cheap.
    return int(value)


def _quantity(text: str) -> int:
    if not text:
        raise _BadCell(_("The quantity is missing."))
    if text.lstrip().startswith("-") and _NUMBER.fullmatch(text):
        raise _BadCell(_("A quantity cannot be negative."))
    return _whole(text, minimum=0, maximum=MAX_QUANTITY)


def _envelope(text: str) -> Decimal | None:
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    value = _number(text, _("“%(value)s” is not a number."))
    if value <= 0:
        raise _BadCell(_("The value must be greater than zero."))
    if value > MAX_ENVELOPE:
        raise _BadCell(_("The value cannot be more than %(maximum)s.") % {"maximum": MAX_ENVELOPE})
    if value != value.quantize(Decimal(1).scaleb(-ENVELOPE_DECIMAL_PLACES)):
        raise _BadCell(_("Give at most %(places)d decimal places.") % {"places": ENVELOPE_DECIMAL_PLACES})
    return value


def _it_grade(text: str) -> int | None:
    return _whole(text, minimum=MIN_IT_GRADE, maximum=MAX_IT_GRADE) if text else None


def _lead_time_days(text: str) -> int | None:
    return _whole(text, minimum=0, maximum=MAX_LEAD_TIME_DAYS) if text else None


def _condition(text: str) -> str:
    if not text:
        return StockItem.Condition.NEW
    word = plain_words(text)
    for condition, words in CONDITION_WORDS.items():
        if word in words:
            return condition
    raise _BadCell(
        _("“%(value)s” is not a condition: write nuevo, reacondicionado or usado (new, refurbished, used).")
        % {"value": text}
    )


def _yes_no(text: str) -> bool:
    if not text:
        return True
    word = plain_words(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _BadCell(_("“%(value)s” is not sí or no.") % {"value": text})


def _text(text: str, max_length: int) -> str:
    if len(text) > max_length:
        raise _BadCell(_("The text is longer than %(limit)d characters.") % {"limit": max_length})
    return text


def _process_codes() -> dict[str, str]:
    codes = {}
    for code, label_es in process_labels_es().items():
        codes[plain_words(label_es)] = code
    for process in Process:
        codes[plain_words(process.label)] = process.value
        codes[plain_words(process.value)] = process.value
    return codes


# Stock import


def import_stock(
    *,
    plant: Plant,
    upload,
    user,
    create_parts: bool = False,
    dry_run: bool = False,
    name: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read a stock file and set the plant's counts, all or nothing. Raises SpreadsheetRefused for an unusable file."""
    # Checked before reading: a refused caller learns nothing of the file, not even that it is unusable.
    access.require_keeps_records_of_plant(user, plant)
    table = read_table(upload, name=name)
    columns = _columns(
        table.headers, STOCK_COLUMNS, required={key: STOCK_HEADERS[key] for key in ("number", "quantity")}
    )
    report = ImportReport(dry_run=dry_run, ignored_columns=columns.ignored)

    absent = {key: parse("") for key, parse in STOCK_PARSERS.items() if key not in columns.index}
    parsed = []
    for line, cells in table.rows:
        row, errors = _parse_stock_row(line, cells, columns, absent)
        report.errors.extend(errors)
        parsed.append(row)
        if progress:
            progress(1)
    part_ids = part_ids_by_numbers(row["lookup"] for row in parsed)
    new_parts = _resolve_parts(parsed, part_ids, columns, report, create_parts)
    counts, lines = _distinct_counts(parsed, columns, report)
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        return report

    try:
        with transaction.atomic():
            created_part_ids = _create_parts(new_parts, user=user)
            for row in parsed:
                if row["part_id"] is None:
                    row["part_id"] = created_part_ids[row["new_part_key"]]
            stock_counts = [services.StockCount(**{**count, "part_id": row["part_id"]}) for count, row in counts]
            outcomes = services.stock_import_counts(plant=plant, counts=stock_counts, user=user)
            _fill_stock_report(report, counts, outcomes, len(new_parts))
            if dry_run:
                raise _Rollback
    except StockCountsRefused as refusal:
        column = columns.header["quantity"]
        report.errors = [RowError(lines[index], column, reason) for index, reason in refusal.refused.items()]
        report.rows, report.counts = [], {}
    except _Rollback:
        pass
    return report


STOCK_PARSERS = {
    "number": lambda text: _text(text, 100),
    "brand": lambda text: _text(text, 100),
    "quantity": _quantity,
    "condition": _condition,
    "exchangeable": _yes_no,
    "location": lambda text: _text(text, 200),
    "name": lambda text: _text(text, 200),
    "category": lambda text: _text(text, 100),
    "description": str,
}


def _parse_stock_row(line: int, cells: list, columns: _Columns, absent: dict) -> tuple[dict, list[RowError]]:
    """One row's values; ``absent`` holds the values of the columns the file does not have."""
    errors, row = [], {"line": line, **absent}
    for key in columns.index:
        try:
            row[key] = STOCK_PARSERS[key](columns.cell(cells, key))
        except _BadCell as error:
            errors.append(RowError(line, columns.header[key], str(error)))
            row[key] = None
    if row["number"] == "":
        errors.append(RowError(line, columns.header["number"], _("The part number is missing.")))
    # With a brand column, "FAG" + "6205" is looked up as "FAG 6205": a number under that brand is preferred.
    row["lookup"] = f"{row['brand']} {row['number']}".strip() if row["brand"] else (row["number"] or "")
    return row, errors


def _resolve_parts(parsed, part_ids, columns, report, create_parts) -> dict[tuple, dict]:
    """Give every row its part id; returns the parts to create, one per unknown number."""
    new_parts = {}
    for row in parsed:
        row["part_id"] = part_ids.get(row["lookup"])
        row["new_part_key"] = None
        if row["part_id"] is not None or not row["number"]:
            continue
        if not create_parts:
            report.errors.append(
                RowError(
                    row["line"],
                    columns.header["number"],
                    _("No part in the catalogue has the number %(number)s.") % {"number": row["lookup"]},
                )
            )
            continue
        if not row["name"]:
            report.errors.append(
                RowError(
                    row["line"],
                    columns.header.get("name", str(STOCK_HEADERS["name"])),
                    _("The number %(number)s is not in the catalogue: give the part a name to create it.")
                    % {"number": row["lookup"]},
                )
            )
            continue
        key = (row["brand"] or "", normalize_code(row["number"]))
        row["new_part_key"] = key
        new_parts.setdefault(key, row)
    return new_parts


def _distinct_counts(parsed, columns, report) -> tuple[list[tuple[dict, dict]], list[int]]:
    """Each row's count, refusing two rows for one item: the file states each item's count once."""
    counts, lines, seen = [], [], {}
    for row in parsed:
        if row["part_id"] is None and row["new_part_key"] is None:
            continue
        key = (row["part_id"] or row["new_part_key"], row["condition"], row["location"])
        if key in seen:
            report.errors.append(
                RowError(
                    row["line"],
                    columns.header["number"],
                    _("Line %(line)d already counts this part in this condition and location.") % {"line": seen[key]},
                )
            )
            continue
        seen[key] = row["line"]
        count = {
            "part_id": row["part_id"],
            "condition": row["condition"],
            "location": row["location"] or "",
            "exchangeable": row["exchangeable"],
            "quantity": row["quantity"],
        }
        counts.append((count, row))
        lines.append(row["line"])
    return counts, lines


def _create_parts(new_parts: dict[tuple, dict], *, user) -> dict[tuple, int]:
    return {
        key: services.part_create(
            name=row["name"],
            category=row["category"] or "",
            description=row["description"] or "",
            numbers=[services.NumberSpec(row["brand"] or "", row["number"])],
            user=user,
        ).pk
        for key, row in new_parts.items()
    }


def _fill_stock_report(report, counts, outcomes, parts_created) -> None:
    tally = {"created": 0, "updated": 0, "unchanged": 0}
    for (_count, row), outcome in zip(counts, outcomes, strict=True):
        if outcome.quantity_before is None:
            action = "created"
        elif outcome.quantity_before != outcome.quantity:
            action = "updated"
        else:
            action = "unchanged"
        tally[action] += 1
        report.rows.append(
            {
                "line": row["line"],
                "number": row["lookup"],
                "part": row["part_id"],
                "stock_item": outcome.stock_item_id,
                "action": action,
                "quantity_before": outcome.quantity_before,
                "quantity": outcome.quantity,
            }
        )
    report.counts = {"rows": len(counts), **tally, "parts_created": parts_created}


# Capability import


def import_capabilities(*, plant: Plant, upload, user, dry_run: bool = False, name: str = "") -> ImportReport:
    """Create or update the plant's capabilities (one per process) from a file, all or nothing."""
    access.require_keeps_records_of_plant(user, plant)
    table = read_table(upload, name=name)
    columns = _columns(table.headers, CAPABILITY_COLUMNS, required={"process": CAPABILITY_HEADERS["process"]})
    report = ImportReport(dry_run=dry_run, ignored_columns=columns.ignored)
    process_codes = _process_codes()
    designations = _material_designations(table, columns)

    parsed, seen = [], {}
    for line, cells in table.rows:
        row = _parse_capability_row(line, cells, columns, process_codes, designations, report)
        if row is None:
            continue
        if row["process"] in seen:
            report.errors.append(
                RowError(
                    line,
                    columns.header["process"],
                    _("Line %(line)d already states this process.") % {"line": seen[row["process"]]},
                )
            )
            continue
        seen[row["process"]] = line
        parsed.append(row)
    # The rows that parsed are still written (and rolled back) so the model's own checks report every bad row.
    try:
        with transaction.atomic():
            _write_capabilities(plant, parsed, columns, report, user=user)
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        report.rows, report.counts = [], {}
    return report


def _material_designations(table: Table, columns: _Columns) -> dict[str, int]:
    written = {
        normalize_code(designation)
        for _line, cells in table.rows
        for designation in _split_list(columns.cell(cells, "materials"))
    }
    return dict(MaterialDesignation.objects.filter(normalized__in=written).values_list("normalized", "material_id"))


def _split_list(text: str) -> list[str]:
    return [item.strip() for item in text.replace(";", ",").split(",") if item.strip()]


def _parse_capability_row(line, cells, columns, process_codes, designations, report) -> dict | None:
    errors = []
    process_text = columns.cell(cells, "process")
    process = process_codes.get(plain_words(process_text))
    if process is None:
        errors.append(
            RowError(
                line,
                columns.header["process"],
                _("“%(value)s” is not a known process (see /api/processes/).") % {"value": process_text},
            )
        )
    material_ids = []
    for designation in _split_list(columns.cell(cells, "materials")):
        material_id = designations.get(normalize_code(designation))
        if material_id is None:
            errors.append(
                RowError(
                    line,
                    columns.header["materials"],
                    _("No material is known as %(designation)s.") % {"designation": designation},
                )
            )
        material_ids.append(material_id)
    fields = {}
    parsers = {
        "max_diameter_mm": _envelope,
        "max_length_mm": _envelope,
        "max_weight_kg": _envelope,
        "best_it_grade": _it_grade,
        "lead_time_days": _lead_time_days,
        "notes": str,
    }
    for key, parse in parsers.items():
        if key not in columns.index:
            continue
        try:
            fields[key] = parse(columns.cell(cells, key))
        except _BadCell as error:
            errors.append(RowError(line, columns.header[key], str(error)))
    if fields.get("lead_time_days") is None:
        fields.pop("lead_time_days", None)
    report.errors.extend(errors)
    if errors:
        return None
    return {"line": line, "process": process, "material_ids": material_ids, "fields": fields}


def _write_capabilities(plant, parsed, columns, report, *, user) -> None:
    existing = {capability.process: capability for capability in Capability.objects.filter(plant=plant)}
    tally = {"created": 0, "updated": 0}
    for row in parsed:
        capability = existing.get(row["process"])
        try:
            if capability is None:
                capability = services.capability_create(
                    plant=plant, process=row["process"], materials=row["material_ids"], user=user, **row["fields"]
                )
                action = "created"
            else:
                capability = services.capability_update(
                    capability=capability, materials=row["material_ids"], user=user, **row["fields"]
                )
                action = "updated"
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = columns.header.get(field_name, columns.header["process"])
                report.errors.extend(RowError(row["line"], column, message) for message in messages)
            continue
        tally[action] += 1
        report.rows.append(
            {"line": row["line"], "process": row["process"], "capability": capability.pk, "action": action}
        )
    report.counts = {"rows": len(parsed), **tally}


# Export


def export_stock(*, plant: Plant, file_format: str) -> bytes:
    queryset = StockItem.objects.filter(plant=plant).select_related("part").prefetch_related("part__numbers")
    return _render(StockItemResource().export(queryset.order_by("pk")), file_format)


def export_catalogue(*, file_format: str) -> bytes:
    queryset = Part.objects.select_related("material").prefetch_related("numbers").order_by("pk")
    return _render(PartResource().export(queryset), file_format)


def template(*, kind: str, file_format: str) -> bytes:
    """A blank file with the columns an import reads, for a plant to fill in."""
    headers = STOCK_HEADERS if kind == "stock" else CAPABILITY_HEADERS
    return _render(tablib.Dataset(headers=[str(header) for header in headers.values()]), file_format)


def _render(dataset, file_format: str) -> bytes:
    exported = (XlsxFormat() if file_format == XLSX else CsvFormat()).export_data(dataset)
    # A byte-order mark lets Excel read the accents of a UTF-8 CSV.
    return exported if isinstance(exported, bytes) else exported.encode("utf-8-sig")


def plant_by_id_or_name(value: str) -> Plant:
    value = str(value).strip()
    plant = Plant.objects.filter(pk=int(value)).first() if value.isdigit() else None
    plant = plant or Plant.objects.filter(name=value).first()
    if plant is None:
        raise Plant.DoesNotExist(_("No plant has the id or name %(value)s.") % {"value": value})
    return plant
