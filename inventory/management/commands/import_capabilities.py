from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from inventory import access, spreadsheets

from .import_stock import open_file, plant_argument, run_import, summary


class Command(BaseCommand):
    help = _("Create or update a plant's capabilities (one per process) from a CSV or XLSX file, all rows or none.")

    def add_arguments(self, parser):
        parser.add_argument("plant", help=_("plant id or exact name"))
        parser.add_argument("file", help=_("CSV or XLSX file"))
        parser.add_argument("--dry-run", action="store_true", help=_("check and report, write nothing"))

    def handle(self, *args, **options):
        plant = plant_argument(options["plant"])
        with open_file(options["file"]) as upload:
            report = run_import(
                spreadsheets.import_capabilities,
                plant=plant,
                upload=upload,
                name=options["file"],
                user=access.SYSTEM,
                dry_run=options["dry_run"],
            )
        self.stdout.write(summary(report))
