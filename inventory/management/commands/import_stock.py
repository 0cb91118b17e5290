from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from inventory import access, spreadsheets
from inventory.models import Plant


class Command(BaseCommand):
    help = _("Load a plant's stock counts from a CSV or XLSX file, all rows or none.")

    def add_arguments(self, parser):
        parser.add_argument("plant", help=_("plant id or exact name"))
        parser.add_argument("file", help=_("CSV or XLSX file"))
        parser.add_argument("--create-parts", action="store_true", help=_("create catalogue parts for unknown numbers"))
        parser.add_argument("--dry-run", action="store_true", help=_("check and report, write nothing"))

    def handle(self, *args, **options):
        plant = plant_argument(options["plant"])
        with (
            open_file(options["file"]) as upload,
            tqdm(desc=_("rows"), unit="", disable=options["verbosity"] < 1) as bar,
        ):
            report = run_import(
                spreadsheets.import_stock,
                plant=plant,
                upload=upload,
                name=options["file"],
                # Whoever runs a command on the server is the operator, not a plant's member: the ledger names nobody.
                user=access.SYSTEM,
                create_parts=options["create_parts"],
                dry_run=options["dry_run"],
                progress=bar.update,
            )
        self.stdout.write(summary(report))


def plant_argument(value):
    try:
        return spreadsheets.plant_by_id_or_name(value)
    except Plant.DoesNotExist as error:
        raise CommandError(str(error)) from error


def open_file(path):
    try:
        return open(path, "rb")
    except OSError as error:
        raise CommandError(str(error)) from error


def run_import(import_function, **arguments):
    """Run an import; an unusable file or any bad row ends the command with an error listing them."""
    try:
        report = import_function(**arguments)
    except spreadsheets.SpreadsheetRefused as refusal:
        raise CommandError(refusal.message) from refusal
    if report.errors:
        lines = [
            _("line %(line)d, %(column)s: %(reason)s")
            % {"line": error.line, "column": error.column, "reason": error.reason}
            for error in report.errors
        ]
        raise CommandError("\n".join([_("Nothing was written; %(count)d problem(s):") % {"count": len(lines)}, *lines]))
    return report


COUNT_LABELS = {
    "rows": gettext_lazy("rows"),
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "parts_created": gettext_lazy("parts added to the catalogue"),
}


def summary(report, labels=COUNT_LABELS) -> str:
    counts = ", ".join(f"{labels[name]}: {value}" for name, value in report.counts.items())
    text = (_("Dry run, nothing written. %(counts)s") if report.dry_run else _("Done. %(counts)s")) % {"counts": counts}
    if report.ignored_columns:
        text += "\n" + _("Ignored columns: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
    return text
