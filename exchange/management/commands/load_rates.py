from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from exchange import rates
from inventory import access
from inventory.management.commands.import_stock import open_file, run_import, summary


class Command(BaseCommand):
    help = (
        "Load exchange rates (bolívares per dollar) from a CSV or XLSX file with the columns fecha and tasa "
        "(date, rate) and optionally fuente (bcv or manual), all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        with (
            open_file(options["file"]) as upload,
            tqdm(desc=_("rows"), unit="", disable=options["verbosity"] < 1) as bar,
        ):
            report = run_import(
                rates.exchange_rates_import,
                upload=upload,
                name=options["file"],
                # The operator at the server's console, not a person of the exchange: the rates name nobody.
                user=access.SYSTEM,
                progress=bar.update,
            )
        self.stdout.write(summary(report, labels={"rates": gettext_lazy("rates")}))
