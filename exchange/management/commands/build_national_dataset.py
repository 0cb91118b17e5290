"""A synthetic country for measuring the matching engine at national scale.

At --scale 1: 1,000 plants, 2,000 machine shops, 200,000 parts with 500,000
numbers (about three parts in ten share a normalized number with parts of
other brands), 1,000,000 stock items each counted in through the ledger,
20,000 capabilities with their materials and 50,000 open requests with their
fabrication spec. Rows go in with PostgreSQL's COPY, which is what makes a
million-row load take minutes rather than an hour; the services would be
right for real data but far too slow here. The database must hold no
plants, parts, stock or requests yet, since the rows carry their own ids.
"""

import json
import random
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from exchange.models import Criticality, PartRequest
from inventory import reference
from inventory.models import Capability, Material, Part, PartNumber, Plant, StockItem, StockMovement
from inventory.normalization import normalize_code
from inventory.processes import MATERIAL_INDEPENDENT_PROCESSES
from inventory.selectors import forget_known_brands

FULL_SCALE = {
    "plants": 1_000,
    "shops": 2_000,
    "parts": 200_000,
    "stock_items": 1_000_000,
    "capabilities": 20_000,
    "requests": 50_000,
}
BRANDS = [
    "SKF",
    "FAG",
    "NSK",
    "NTN",
    "Timken",
    "INA",
    "Koyo",
    "WEG",
    "Siemens",
    "ABB",
    "KSB",
    "Flowserve",
    "Gates",
    "Parker",
    "Rexroth",
    "generic",
]
# category: (code, processes needed to make or repair it, diameter range mm, IT grade range or None, import USD range)
CATEGORIES = {
    "bearing": ("BR", [], (10, 300), None, (8, 900)),
    "seal": ("SL", [], (10, 400), None, (3, 120)),
    "belt": ("BT", [], (50, 2000), None, (10, 200)),
    "shaft": ("SH", ["turning", "grinding", "heat_treatment"], (15, 400), (6, 9), (150, 6000)),
    "gear": ("GR", ["turning", "gear_cutting", "heat_treatment"], (40, 1200), (7, 9), (200, 12000)),
    "bushing": ("BU", ["turning", "boring"], (15, 500), (7, 10), (30, 1500)),
    "impeller": ("IM", ["casting", "machining_repair", "balancing"], (100, 900), (9, 12), (800, 20000)),
    "motor": ("MT", ["motor_rewinding", "balancing"], (100, 900), None, (500, 25000)),
    "roll": ("RL", ["turning", "hard_chrome_plating", "grinding"], (80, 1000), (6, 8), (1000, 40000)),
    "housing": ("HS", ["casting", "milling", "boring"], (100, 1500), (8, 11), (400, 15000)),
    "coupling": ("CP", ["turning", "milling"], (30, 600), (8, 10), (60, 3000)),
    "plate": ("PL", ["sheet_metal", "welding"], (200, 3000), None, (100, 5000)),
}
# How often a workshop offers each process: lathes and welders everywhere, EDM and babbitt rarely.
PROCESS_WEIGHTS = {
    "turning": 12,
    "milling": 9,
    "drilling": 9,
    "welding": 10,
    "grinding": 5,
    "boring": 5,
    "gear_cutting": 3,
    "casting": 3,
    "forging": 2,
    "heat_treatment": 4,
    "sheet_metal": 6,
    "edm": 1,
    "additive": 1,
    "motor_rewinding": 4,
    "balancing": 3,
    "hard_chrome_plating": 2,
    "thermal_spray": 2,
    "babbitting": 1,
    "machining_repair": 5,
}
# process: best IT grade range (None where the process sets no dimension)
PROCESS_IT_GRADES = {
    "turning": (6, 8),
    "milling": (7, 9),
    "grinding": (5, 6),
    "drilling": (10, 11),
    "boring": (7, 9),
    "gear_cutting": (7, 9),
    "welding": None,
    "casting": (12, 15),
    "forging": (13, 16),
    "heat_treatment": None,
    "sheet_metal": (12, 14),
    "edm": (5, 7),
    "additive": (11, 13),
    "motor_rewinding": None,
    "balancing": None,
    "hard_chrome_plating": None,
    "thermal_spray": None,
    "babbitting": (9, 11),
    "machining_repair": (8, 10),
}
CROSS_REFERENCED_SHARE = 0.3


class Command(BaseCommand):
    help = _("Load a synthetic national dataset with COPY (PostgreSQL only), then VACUUM ANALYZE.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help=_("1 is the national size; 0.01 serves tests."))
        parser.add_argument("--seed", type=int, default=2026, help=_("seed of the random choices"))

    def handle(self, *args, scale, seed, verbosity, **options):
        if connection.vendor != "postgresql":
            raise CommandError(_("build_national_dataset loads with COPY and needs PostgreSQL."))
        if any(model.objects.exists() for model in (Plant, Part, StockItem, PartRequest)):
            raise CommandError(_("The database already holds plants, parts, stock or requests; use an empty one."))
        counts = {name: max(1, round(count * scale)) for name, count in FULL_SCALE.items()}
        builder = DatasetBuilder(random.Random(seed), counts, show_progress=verbosity > 0)
        with transaction.atomic():
            builder.build()
            # COPY sends no signal: the lookup's cached brands must learn the new ones.
            forget_known_brands()
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(
                    no_style(),
                    [
                        Plant,
                        Part,
                        PartNumber,
                        StockItem,
                        StockMovement,
                        Capability,
                        Capability.materials.through,
                        PartRequest,
                    ],
                ):
                    cursor.execute(statement)
        with connection.cursor() as cursor:
            # VACUUM also marks the new pages all-visible, so index-only scans skip the heap as in a settled database.
            cursor.execute("VACUUM ANALYZE")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(_("Loaded %(loaded)s and analyzed.") % {"loaded": builder.loaded}))


class DatasetBuilder:
    def __init__(self, rng, counts, *, show_progress):
        self.rng = rng
        self.counts = counts
        self.show_progress = show_progress
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.loaded = {}

    def build(self):
        reference.load_materials()
        self.material_ids = list(Material.objects.values_list("id", flat=True))
        plant_ids, shop_ids = self.load_plants()
        parts = self.load_parts()
        self.load_stock(parts, plant_ids + shop_ids)
        self.load_capabilities(plant_ids, shop_ids)
        self.load_requests(parts, plant_ids)

    def copy(self, model, columns, rows, total):
        table = model._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in tqdm(rows, total=total, desc=table, unit=" rows", disable=not self.show_progress):
                copy.write_row(row)
        self.loaded[table] = total

    def skewed_index(self, size):
        # Popular parts are stocked and requested far more often than the long tail.
        return int(size * self.rng.random() ** 1.5)

    def load_plants(self):
        centres = reference.read_rows("plants.csv")
        rows, plant_ids, shop_ids = [], [], []
        kinds = [Plant.Kind.PLANT] * self.counts["plants"] + [Plant.Kind.MACHINE_SHOP] * self.counts["shops"]
        for plant_id, kind in enumerate(kinds, start=1):
            centre = self.rng.choice(centres)
            is_shop = kind == Plant.Kind.MACHINE_SHOP
            (shop_ids if is_shop else plant_ids).append(plant_id)
            rows.append(
                (
                    plant_id,
                    f"{'Taller' if is_shop else 'Planta'} {plant_id:05d} {centre['city']}",
                    kind,
                    self.rng.choice(Plant.Ownership.values),
                    "machining" if is_shop else centre["sector"],
                    centre["state"],
                    centre["city"],
                    round(float(centre["latitude"]) + self.rng.uniform(-0.4, 0.4), 5),
                    round(float(centre["longitude"]) + self.rng.uniform(-0.4, 0.4), 5),
                    self.now,
                )
            )
        self.copy(
            Plant,
            ["id", "name", "kind", "ownership", "sector", "state", "city", "latitude", "longitude", "created_at"],
            rows,
            len(rows),
        )
        return plant_ids, shop_ids

    def load_parts(self):
        """Parts and their numbers; returns each part's category and numbers, by id - 1."""
        count = self.counts["parts"]
        categories = [self.rng.choice(list(CATEGORIES)) for _ in range(count)]
        shared_numbers = self.cross_reference_groups(categories)
        parts, part_rows, number_rows = [], [], []
        for index, category in enumerate(categories):
            part_id = index + 1
            code, processes, (smallest, largest), grades, (cheapest, dearest) = CATEGORIES[category]
            diameter = round(self.rng.uniform(smallest, largest), 1)
            material_id = self.rng.choice(self.material_ids) if processes and self.rng.random() < 0.85 else None
            numbers = [
                (self.rng.choice(BRANDS), f"{code}-{part_id:06d}"),
                (self.rng.choice(BRANDS), f"{part_id:06d}.{code}{part_id % 97:02d}"),
            ]
            if part_id in shared_numbers:
                numbers.append(shared_numbers[part_id])
            elif index % 2 == 0:
                numbers.append(("generic", f"{part_id:06d}/ALT"))
            parts.append((category, numbers))
            part_rows.append(
                (
                    part_id,
                    f"{category.capitalize()} {code}-{part_id:06d}",
                    category,
                    "",
                    material_id,
                    json.dumps(processes),
                    diameter,
                    round(diameter * self.rng.uniform(0.3, 4), 1),
                    round(diameter**2 * self.rng.uniform(0.00002, 0.0004), 3) or Decimal("0.001"),
                    self.rng.randint(*grades) if grades and self.rng.random() < 0.8 else None,
                    Decimal(self.rng.randint(cheapest, dearest)),
                    self.now,
                )
            )
            number_rows.extend((part_id, brand, number, normalize_code(number)) for brand, number in numbers)
        self.copy(
            Part,
            [
                "id",
                "name",
                "category",
                "description",
                "material_id",
                "processes",
                "diameter_mm",
                "length_mm",
                "weight_kg",
                "it_grade",
                "import_price_usd",
                "created_at",
            ],
            part_rows,
            len(part_rows),
        )
        self.copy(PartNumber, ["part_id", "brand", "number", "normalized"], number_rows, len(number_rows))
        return parts

    def cross_reference_groups(self, categories):
        """Groups of two to four parts of one category, each listing one number in its own brand's writing."""
        by_category = {}
        for index, category in enumerate(categories):
            if index % 2 == 0 and self.rng.random() < CROSS_REFERENCED_SHARE * 2:
                by_category.setdefault(category, []).append(index + 1)
        shared, group = {}, 0
        for part_ids in by_category.values():
            self.rng.shuffle(part_ids)
            while len(part_ids) >= 2:
                size = min(len(part_ids), self.rng.randint(2, 4))
                members, part_ids = part_ids[:size], part_ids[size:]
                group += 1
                for member, brand in zip(members, self.rng.sample(BRANDS, size), strict=True):
                    writing = self.rng.choice(["XR-{:05d}", "XR {:05d}", "xr{:05d}", "XR.{:05d}"])
                    shared[member] = (brand, writing.format(group))
        return shared

    def load_stock(self, parts, plant_ids):
        count = self.counts["stock_items"]
        seen, items = set(), []
        while len(items) < count:
            plant_id = self.rng.choice(plant_ids)
            part_id = self.skewed_index(len(parts)) + 1
            condition = self.rng.choices(StockItem.Condition.values, weights=[70, 10, 20])[0]
            if (plant_id, part_id, condition) in seen:
                continue
            seen.add((plant_id, part_id, condition))
            quantity = max(1, int(self.rng.expovariate(1 / 6)))
            items.append(
                (
                    len(items) + 1,
                    plant_id,
                    part_id,
                    quantity,
                    0,
                    condition,
                    f"Estante {self.rng.randint(1, 60)}",
                    self.rng.random() < 0.9,
                    self.now,
                    self.now,
                )
            )
        self.copy(
            StockItem,
            [
                "id",
                "plant_id",
                "part_id",
                "quantity",
                "reserved",
                "condition",
                "location",
                "exchangeable",
                "created_at",
                "updated_at",
            ],
            items,
            count,
        )
        # Each item's quantity came in through one counted movement, so the ledger sums to it.
        movements = ((item[0], item[3], StockMovement.Reason.COUNT, "Inventario inicial", self.now) for item in items)
        self.copy(StockMovement, ["stock_item_id", "delta", "reason", "note", "at"], movements, count)

    def load_capabilities(self, plant_ids, shop_ids):
        count = self.counts["capabilities"]
        processes, weights = list(PROCESS_WEIGHTS), list(PROCESS_WEIGHTS.values())
        seen, capabilities, materials = set(), [], []
        while len(capabilities) < count:
            plant_id = self.rng.choice(shop_ids if self.rng.random() < 0.7 else plant_ids)
            process = self.rng.choices(processes, weights=weights)[0]
            if (plant_id, process) in seen:
                continue
            seen.add((plant_id, process))
            capability_id = len(capabilities) + 1
            grades = PROCESS_IT_GRADES[process]
            max_diameter = self.rng.choice([200, 400, 600, 800, 1200, 2000, 3000])
            capabilities.append(
                (
                    capability_id,
                    plant_id,
                    process,
                    max_diameter,
                    max_diameter * self.rng.choice([2, 3, 5]),
                    self.rng.choice([50, 200, 500, 2000, 10000]),
                    self.rng.randint(*grades) if grades else None,
                    self.rng.randint(3, 45),
                    "",
                    self.now,
                )
            )
            if process not in MATERIAL_INDEPENDENT_PROCESSES:
                materials.extend(
                    (capability_id, material_id)
                    for material_id in self.rng.sample(self.material_ids, self.rng.randint(3, 10))
                )
        self.copy(
            Capability,
            [
                "id",
                "plant_id",
                "process",
                "max_diameter_mm",
                "max_length_mm",
                "max_weight_kg",
                "best_it_grade",
                "lead_time_days",
                "notes",
                "created_at",
            ],
            capabilities,
            count,
        )
        self.copy(Capability.materials.through, ["capability_id", "material_id"], materials, len(materials))

    def load_requests(self, parts, plant_ids):
        count = self.counts["requests"]
        spec_rows = {
            row[0]: row[1:]
            for row in Part.objects.values_list(
                "id",
                "material_id",
                "processes",
                "diameter_mm",
                "length_mm",
                "weight_kg",
                "it_grade",
                "import_price_usd",
            ).iterator(chunk_size=10_000)
        }
        fabricated = [part_id for part_id, spec in spec_rows.items() if spec[1]]
        rows = []
        for request_id in range(1, count + 1):
            described_only = self.rng.random() < 0.08
            part_id = self.rng.choice(fabricated) if described_only else self.skewed_index(len(parts)) + 1
            material_id, processes, diameter, length, weight, it_grade, price = spec_rows[part_id]
            category, numbers = parts[part_id - 1]
            rows.append(
                (
                    request_id,
                    self.rng.choice(plant_ids),
                    None if described_only else part_id,
                    "" if described_only else self.rng.choice(numbers)[1],
                    f"{category} a medida, ver plano" if described_only else "",
                    max(1, int(self.rng.expovariate(1 / 2))),
                    0,
                    self.today + timedelta(days=self.rng.randint(7, 120)),
                    self.rng.choice(Criticality.values),
                    price,
                    self.rng.randint(30, 150),
                    material_id,
                    json.dumps(sorted(processes)),
                    diameter,
                    length,
                    weight,
                    it_grade,
                    PartRequest.Status.OPEN,
                    self.now,
                    self.now,
                )
            )
        self.copy(
            PartRequest,
            [
                "id",
                "plant_id",
                "part_id",
                "number",
                "description",
                "quantity",
                "quantity_fulfilled",
                "needed_by",
                "criticality",
                "import_price_usd",
                "import_lead_time_days",
                "material_id",
                "processes",
                "diameter_mm",
                "length_mm",
                "weight_kg",
                "it_grade",
                "status",
                "created_at",
                "updated_at",
            ],
            rows,
            count,
        )
