from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inventory import spreadsheets

from .import_stock import plant_argument


class Command(BaseCommand):
    help = _("Write a plant's stock (or, with --catalogue, the whole catalogue) to a CSV or XLSX file.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("output file; its extension (.csv or .xlsx) sets the format"))
        parser.add_argument("--plant", help=_("plant id or exact name"))
        parser.add_argument(
            "--catalogue", action="store_true", help=_("export the catalogue instead of a plant's stock")
        )

    def handle(self, *args, **options):
        path = options["file"]
        file_format = spreadsheets.XLSX if path.lower().endswith(".xlsx") else spreadsheets.CSV
        if options["catalogue"]:
            content = spreadsheets.export_catalogue(file_format=file_format)
        elif options["plant"]:
            content = spreadsheets.export_stock(plant=plant_argument(options["plant"]), file_format=file_format)
        else:
            raise CommandError(_("Give --plant or --catalogue."))
        with open(path, "wb") as output:
            output.write(content)
        self.stdout.write(_("%(path)s: %(size)d bytes") % {"path": path, "size": len(content)})
