"""Spreadsheet import and export buttons for the inventory admin (django-import-export).

The admin's import keeps django-import-export's upload, dry-run preview and
confirmation pages, but each file goes through inventory/spreadsheets.py:
the same headers, validation, all-or-nothing write and ledger as the
command and the API. The admin only adds the plant to load into.
"""

import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import Error, Result, RowResult

from . import spreadsheets
from .models import Plant
from .resources import CapabilityResource, PartResource, StockItemResource

IMPORT_TYPES = {"created": RowResult.IMPORT_TYPE_NEW, "updated": RowResult.IMPORT_TYPE_UPDATE}


class _SpreadsheetImport:
    """Replaces a resource's row-by-row import with one call to its run_import (an inventory.spreadsheets import)."""

    def __init__(self, *, plant=None, create_parts=False, **kwargs):
        super().__init__(**kwargs)
        self.plant = plant
        self.create_parts = create_parts

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        result = Result()
        result.diff_headers = list(dataset.headers or [])
        # django-import-export has parsed the upload already; writing it back as CSV keeps its line numbers.
        upload = io.BytesIO(dataset.export("csv").encode("utf-8"))
        try:
            report = self.run_import(upload, dry_run=dry_run, user=kwargs.get("user"))
        except spreadsheets.SpreadsheetRefused as refusal:
            result.append_base_error(Error(refusal))
            return result
        rows_by_line = {line: list(values) for line, values in enumerate(dataset, start=2)}
        for error in report.errors:
            row = dict(zip(result.diff_headers, rows_by_line.get(error.line, []), strict=False))
            result.append_invalid_row(error.line, row, ValidationError({error.column: [error.reason]}))
        for row in report.rows if report.ok else []:
            row_result = RowResult()
            row_result.import_type = IMPORT_TYPES.get(row["action"], RowResult.IMPORT_TYPE_SKIP)
            row_result.diff = rows_by_line.get(row["line"], [])
            result.append_row_result(row_result)
            result.totals[row_result.import_type] += 1
        result.totals[RowResult.IMPORT_TYPE_INVALID] = len(report.errors)
        result.total_rows = len(dataset)
        return result


class StockImportResource(_SpreadsheetImport, StockItemResource):
    def run_import(self, upload, *, dry_run, user):
        return spreadsheets.import_stock(
            plant=self.plant, upload=upload, user=user, create_parts=self.create_parts, dry_run=dry_run
        )


class CapabilityImportResource(_SpreadsheetImport, CapabilityResource):
    def run_import(self, upload, *, dry_run, user):
        return spreadsheets.import_capabilities(plant=self.plant, upload=upload, user=user, dry_run=dry_run)


class PlantImportForm(ImportForm):
    plant = forms.ModelChoiceField(queryset=Plant.objects.all(), label=_("plant"))


class PlantConfirmImportForm(ConfirmImportForm):
    plant = forms.ModelChoiceField(queryset=Plant.objects.all(), widget=forms.HiddenInput)


class StockImportForm(PlantImportForm):
    create_parts = forms.BooleanField(
        required=False, label=_("create catalogue parts for unknown numbers (the 'name' column names them)")
    )


class StockConfirmImportForm(PlantConfirmImportForm):
    create_parts = forms.BooleanField(required=False, widget=forms.HiddenInput)


class _PlantSpreadsheetAdminMixin(ImportExportMixin):
    import_form_class = PlantImportForm
    confirm_form_class = PlantConfirmImportForm
    # The ledger records who loaded the counts; admin log entries per row would repeat it a thousand times.
    skip_admin_log = True

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plant"] = import_form.cleaned_data["plant"].pk
            initial["create_parts"] = import_form.cleaned_data.get("create_parts", False)
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        if form is not None and hasattr(form, "cleaned_data"):
            resource_kwargs["plant"] = form.cleaned_data["plant"]
            resource_kwargs["create_parts"] = form.cleaned_data.get("create_parts", False)
        return resource_kwargs


class StockItemSpreadsheetAdminMixin(_PlantSpreadsheetAdminMixin):
    resource_classes = [StockImportResource]
    import_form_class = StockImportForm
    confirm_form_class = StockConfirmImportForm


class CapabilitySpreadsheetAdminMixin(_PlantSpreadsheetAdminMixin):
    resource_classes = [CapabilityImportResource]


class PartSpreadsheetAdminMixin(ExportMixin):
    """The catalogue export; parts arrive through a stock import with 'create parts'."""

    resource_classes = [PartResource]
