"""django-import-export resources: the columns of the exports and of the admin's export buttons.

Their headers are ones inventory/spreadsheets.py reads back, so an exported
file can be edited and imported again. Imports never go through these
resources' row-by-row saving: inventory/spreadsheets.py validates the whole
file and writes the ledger.
"""

import tablib
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .models import Capability, Part, StockItem

STOCK_HEADERS = {
    "number": _("part number"),
    "brand": _("brand"),
    "name": _("name"),
    "quantity": _("quantity"),
    "condition": _("condition"),
    "location": _("location"),
    "exchangeable": _("exchangeable"),
    "description": _("description"),
    "category": _("category"),
}
CAPABILITY_HEADERS = {
    "process": _("process"),
    "materials": _("materials"),
    "max_diameter_mm": _("max diameter (mm)"),
    "max_length_mm": _("max length (mm)"),
    "max_weight_kg": _("max weight (kg)"),
    "best_it_grade": _("best IT grade"),
    "lead_time_days": _("lead time (days)"),
    "notes": _("notes"),
}

# A cell starting with one of these runs as a formula in the spreadsheet of whoever opens an export.
FORMULA_STARTS = ("=", "+", "-", "@")


def make_cells_safe(dataset: tablib.Dataset) -> None:
    """Put an apostrophe before text that a spreadsheet would run as a formula, and drop
    the control characters an XLSX cell cannot hold; numbers stay numbers.

    django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only
    drops a leading "=" and turns every cell into text, so it stays off and
    ExportResource escapes instead.
    """

    def safe(cell):
        if not isinstance(cell, str):
            return cell
        cell = ILLEGAL_CHARACTERS_RE.sub("", cell)
        return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell

    for index in range(len(dataset)):
        row = dataset[index]
        if any(isinstance(cell, str) for cell in row):
            dataset[index] = [safe(cell) for cell in row]


class ExportResource(resources.ModelResource):
    """Every export, from the API, the commands or the admin, escapes formulae."""

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        make_cells_safe(dataset)
        return dataset


def _first_number(part):
    numbers = sorted(part.numbers.all(), key=lambda number: number.pk)
    return numbers[0] if numbers else None


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


class StockItemResource(ExportResource):
    """A plant's store: one row per stock item, identified in the catalogue by the part's first number."""

    number = fields.Field(column_name=STOCK_HEADERS["number"])
    brand = fields.Field(column_name=STOCK_HEADERS["brand"])
    name = fields.Field(attribute="part__name", column_name=STOCK_HEADERS["name"])
    quantity = fields.Field(attribute="quantity", column_name=STOCK_HEADERS["quantity"])
    reserved = fields.Field(attribute="reserved", column_name=_("reserved"))
    condition = fields.Field(attribute="condition", column_name=STOCK_HEADERS["condition"])
    location = fields.Field(attribute="location", column_name=STOCK_HEADERS["location"])
    exchangeable = fields.Field(column_name=STOCK_HEADERS["exchangeable"])
    plant = fields.Field(attribute="plant__name", column_name=_("plant"))

    class Meta:
        model = StockItem
        fields = ("number", "brand", "name", "quantity", "reserved", "condition", "location", "exchangeable", "plant")
        export_order = fields

    def dehydrate_number(self, item):
        number = _first_number(item.part)
        return number.number if number else ""

    def dehydrate_brand(self, item):
        number = _first_number(item.part)
        return number.brand if number else ""

    def dehydrate_exchangeable(self, item):
        return _yes_no(item.exchangeable)


class PartResource(ExportResource):
    """The catalogue: one row per part, with every brand's number."""

    numbers = fields.Field(column_name=_("numbers"))
    material = fields.Field(attribute="material__name", column_name=_("material"))
    processes = fields.Field(column_name=_("processes"))

    class Meta:
        model = Part
        fields = (
            "id",
            "name",
            "category",
            "description",
            "numbers",
            "material",
            "processes",
            "diameter_mm",
            "length_mm",
            "weight_kg",
            "it_grade",
            "import_price_usd",
        )
        export_order = fields

    def dehydrate_numbers(self, part):
        return "; ".join(str(number) for number in sorted(part.numbers.all(), key=lambda number: number.pk))

    def dehydrate_processes(self, part):
        return ", ".join(part.processes)


class CapabilityResource(ExportResource):
    """A plant's workshop, in the columns inventory/spreadsheets.py imports."""

    process = fields.Field(attribute="process", column_name=CAPABILITY_HEADERS["process"])
    materials = fields.Field(column_name=CAPABILITY_HEADERS["materials"])
    max_diameter_mm = fields.Field(attribute="max_diameter_mm", column_name=CAPABILITY_HEADERS["max_diameter_mm"])
    max_length_mm = fields.Field(attribute="max_length_mm", column_name=CAPABILITY_HEADERS["max_length_mm"])
    max_weight_kg = fields.Field(attribute="max_weight_kg", column_name=CAPABILITY_HEADERS["max_weight_kg"])
    best_it_grade = fields.Field(attribute="best_it_grade", column_name=CAPABILITY_HEADERS["best_it_grade"])
    lead_time_days = fields.Field(attribute="lead_time_days", column_name=CAPABILITY_HEADERS["lead_time_days"])
    notes = fields.Field(attribute="notes", column_name=CAPABILITY_HEADERS["notes"])
    plant = fields.Field(attribute="plant__name", column_name=_("plant"))

    class Meta:
        model = Capability
        fields = (
            "process",
            "materials",
            "max_diameter_mm",
            "max_length_mm",
            "max_weight_kg",
            "best_it_grade",
            "lead_time_days",
            "notes",
            "plant",
        )
        export_order = fields

    def dehydrate_materials(self, capability):
        # The first designation of each material is a name the importer looks up.
        return "; ".join(
            designations[0].designation
            for material in capability.materials.all()
            if (designations := sorted(material.designations.all(), key=lambda designation: designation.pk))
        )
