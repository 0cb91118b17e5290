"""Demo data: real plants, the cross-referenced catalogue, stock, workshops,
open shortages and one login per role. Running it again adds only what is
missing, whatever was edited since: it never undoes an edit."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange import rates
from exchange import services as exchange_services
from exchange.models import ExchangeRate, PartRequest
from inventory import access, reference
from inventory import services as inventory_services
from inventory.models import Capability, Material, Membership, Plant
from inventory.selectors import material_find_by_designation, material_ids_by_designations, part_find_by_number

DEMO_RATE_VES_PER_USD = Decimal("245.67")

DEMO_USERS = [
    # username, password, staff, plant, role
    ("admin", "admin-demo-2026", True, None, None),
    ("planta", "planta-demo-2026", False, "Maquinarias Barinas", Membership.Role.MANAGER),
    ("taller", "taller-demo-2026", False, "Taller Metalmecánico Guayana", Membership.Role.MANAGER),
    ("gaviota", "gaviota-demo-2026", False, "La Gaviota (planta de harina de pescado)", Membership.Role.MEMBER),
    ("carbonorca", "carbonorca-demo-2026", False, "CVG Carbonorca", Membership.Role.MEMBER),
    ("occidente", "occidente-demo-2026", False, "Planta de Cilindros de Gas Occidente", Membership.Role.MEMBER),
]

FABRICATED_PARTS = [
    # name, category, number, material (a designation), processes, diameter, length, weight, IT grade, import price
    ("Eje de prensa de tornillo", "shaft", "MB-EJE-080-600", "AISI 1045", ["turning"], 80, 600, 24, 8, "1400"),
    ("Tornillo de prensa de harina", "screw", "LG-TP-320", "AISI 4140", ["turning"], 320, 2500, 900, 9, "18000"),
    (
        "Vástago de válvula de llenadora",
        "valve",
        "NC-VS-20",
        "AISI 316",
        ["grinding", "turning"],
        20,
        150,
        0.5,
        6,
        "260",
    ),
    (
        "Engranaje recto módulo 4, 45 dientes",
        "gear",
        "PW-ENG-M4-45",
        "AISI 4140",
        ["gear_cutting", "heat_treatment"],
        188,
        50,
        9,
        8,
        "2100",
    ),
    (
        "Motor trifásico 30 kW (rebobinado)",
        "motor",
        "GO-MOT-30KW",
        None,
        ["motor_rewinding"],
        450,
        800,
        210,
        None,
        "3200",
    ),
    (
        "Eje de bomba centrífuga (cromo duro)",
        "shaft",
        "AM-P101-EJE",
        "AISI 4140",
        ["hard_chrome_plating"],
        60,
        900,
        20,
        None,
        "2600",
    ),
    (
        "Buje de bronce del molino de ánodos",
        "bushing",
        "CB-BUJE-110",
        "SAE 660",
        ["casting", "turning"],
        110,
        140,
        6,
        9,
        "700",
    ),
]

STOCK = [
    # plant, number, quantity, condition, exchangeable, location
    ("CVG Carbonorca", "6205-2RSH", 4, "new", True, "Almacén A-3"),
    ("Planta de Cilindros de Gas Occidente", "6205-2RS", 2, "new", True, "Estante 12"),
    ("Refinería de Amuay", "6308DDU", 3, "new", True, "Almacén central"),
    ("Planta de Cilindros de Gas Centro", "6308-2RSH", 6, "new", True, "Pasillo 2"),
    ("Indorca", "B50", 10, "new", False, "Mantenimiento"),
    ("Calderys (Guayana)", "B50", 4, "new", True, "Depósito"),
    ("Planta de Cilindros de Gas Centro", "6206-2Z", 5, "new", True, "Pasillo 4"),
    ("Planta de Cilindros de Gas Occidente", "TC 35x52x7", 8, "used", True, "Caja 7"),
    ("Planta de Cilindros de Gas Occidente", "TC 35x52x7", 3, "new", True, "Caja 8"),
    ("Planta Nutrichicha", "6204-2RS", 12, "new", True, "Almacén"),
    ("Equipetrol", "6310-2RS", 2, "refurbished", True, "Taller"),
    ("Planta Madre Wuanaguanare", "6207-2Z", 6, "new", True, "Almacén 1"),
]

CAPABILITIES = [
    # plant, process, materials (designations), max diameter, max length, max weight, best IT, lead days
    (
        "Taller Universitario de Mecánica",
        "turning",
        ["AISI 1045", "AISI 4140", "AISI 316"],
        300,
        1500,
        500,
        7,
        10,
    ),
    ("Taller Naval Zulia", "turning", ["AISI 1045", "AISI 4140"], 600, 4000, 3000, 9, 20),
    ("Cooperativa Tornería del Caroní", "turning", ["AISI 1045", "AISI 4140"], 300, 1200, 400, 7, 10),
    ("Fundición Centro", "casting", ["SAE 660", "ASTM A48 Class 30"], 800, 800, 400, 12, 25),
    (
        "Fundición Centro",
        "turning",
        ["SAE 660", "ASTM A48 Class 30", "AISI 1045"],
        400,
        1000,
        400,
        8,
        25,
    ),
    ("Cooperativa Metalmecánica Sucre", "turning", ["AISI 1045", "AISI 4140"], 300, 3000, 1000, 9, 8),
    (
        "Taller Metalmecánico Guayana",
        "turning",
        ["AISI 1045", "AISI 4140", "AISI 316"],
        500,
        3000,
        2000,
        8,
        15,
    ),
    ("Taller Metalmecánico Guayana", "gear_cutting", ["AISI 1045", "AISI 4140"], 400, 200, 150, 8, 20),
    (
        "Taller Metalmecánico Guayana",
        "heat_treatment",
        ["AISI 1045", "AISI 4140"],
        600,
        2000,
        500,
        10,
        7,
    ),
    ("Taller de Engranajes Aragua", "gear_cutting", ["AISI 1045", "AISI 4140"], 500, 300, 200, 7, 15),
    (
        "Taller de Engranajes Aragua",
        "turning",
        ["AISI 1045", "AISI 4140", "AISI 316"],
        250,
        800,
        100,
        7,
        10,
    ),
    (
        "Taller de Engranajes Aragua",
        "grinding",
        ["AISI 1045", "AISI 4140", "AISI 316"],
        200,
        600,
        100,
        5,
        10,
    ),
    ("Taller de Rebobinado de Motores Oriente", "motor_rewinding", [], 700, 1500, 800, None, 10),
    (
        "Taller de Cromo Duro Lara",
        "hard_chrome_plating",
        ["AISI 1045", "AISI 4140", "AISI 316"],
        300,
        1200,
        300,
        7,
        12,
    ),
    (
        "Cooperativa Soldadura y Caldería Falcón",
        "thermal_spray",
        ["AISI 1045", "AISI 4140"],
        400,
        2000,
        500,
        9,
        6,
    ),
    (
        "Cooperativa Soldadura y Caldería Falcón",
        "welding",
        ["AISI 1045", "AISI 4140", "AISI 316"],
        2000,
        6000,
        5000,
        12,
        5,
    ),
    ("Taller de Balanceo y Mantenimiento Caracas", "balancing", [], 1200, 3000, 2000, None, 5),
]

SHORTAGES = [
    # plant, number as written, quantity, criticality, days until needed
    ("La Gaviota (planta de harina de pescado)", "FAG 6205 2RSR", 2, "production_stopped", 10),
    ("Refinería de Amuay", "NTN 6308LLU", 1, "production_stopped", 5),
    ("Equipetrol", "5L530", 2, "degraded", 20),
    ("Maquinarias Barinas", "skf 6206 2z", 1, "degraded", 15),
    ("Maquinarias Barinas", "MB-EJE-080-600", 1, "production_stopped", 30),
    ("La Gaviota (planta de harina de pescado)", "LG-TP-320", 1, "production_stopped", 45),
    ("Planta Nutrichicha", "NC-VS-20", 4, "degraded", 30),
    ("Planta Madre Wuanaguanare", "PW-ENG-M4-45", 2, "degraded", 40),
    ("Planta de Cilindros de Gas Oriente", "GO-MOT-30KW", 1, "production_stopped", 20),
    ("Refinería de Amuay", "AM-P101-EJE", 1, "degraded", 30),
    ("CVG Carbonorca", "CB-BUJE-110", 6, "preventive", 60),
    ("Planta de Cilindros de Gas Andes", "tc 35 x 52 x 7", 2, "degraded", 15),
]


def demo_logins() -> list[str]:
    """One line per demo login: username / password (who it acts for)."""
    lines = []
    for username, password, is_staff, plant, role in DEMO_USERS:
        if is_staff:
            who = _("administrator")
        else:
            who = _("%(role)s of %(plant)s") % {"role": Membership.Role(role).label, "plant": plant}
        lines.append(f"{username} / {password}  ({who})")
    return lines


class Command(BaseCommand):
    help = _(
        "Load the demo data and print its logins. Running it again adds only what is missing: "
        "what was edited or deleted since is left as it is."
    )

    # The demo is the operator loading data, not a person: it writes as access.SYSTEM, except the stock counts,
    # which its administrator records so that the demo ledger reads as a real one does.
    def handle(self, *args, **options):
        with transaction.atomic():
            reference.load_materials()
            reference.load_plants()
            reference.load_cross_references()
            users = self._users()
            self._fabricated_parts()
            self._stock(users["admin"])
            self._capabilities()
            self._shortages()
            self._exchange_rate()
        self.stdout.write(self.style.SUCCESS(_("Demo data ready. Logins (username / password):")))
        for line in demo_logins():
            self.stdout.write(f"  {line}")

    def _exchange_rate(self):
        # Quotes in bolívares need a rate of their day or before; the demo's is a plausible one, not the BCV's.
        if rates.exchange_rate_in_force(day=timezone.localdate()) is None:
            rates.exchange_rate_save(
                exchange_rate=ExchangeRate(
                    date=timezone.localdate(), rate=DEMO_RATE_VES_PER_USD, source=ExchangeRate.Source.MANUAL
                ),
                user=access.SYSTEM,
            )

    def _users(self):
        users = {}
        for username, password, is_staff, plant_name, role in DEMO_USERS:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@demo.example", "is_staff": is_staff, "is_superuser": is_staff},
            )
            if created:
                user.set_password(password)
                user.save()
            plant = Plant.objects.filter(name=plant_name).first() if plant_name else None
            # A membership an administrator changed since is theirs: only a missing one is added.
            if plant and not Membership.objects.filter(user=user, plant=plant).exists():
                inventory_services.membership_create(member=user, plant=plant, role=role, user=access.SYSTEM)
            users[username] = user
        return users

    def _fabricated_parts(self):
        for name, category, number, material, processes, diameter, length, weight, it_grade, price in FABRICATED_PARTS:
            if part_find_by_number(number):
                continue
            inventory_services.part_create(
                name=name,
                category=category,
                material=material_find_by_designation(material) if material else None,
                processes=processes,
                diameter_mm=Decimal(str(diameter)),
                length_mm=Decimal(str(length)),
                weight_kg=Decimal(str(weight)),
                it_grade=it_grade,
                import_price_usd=Decimal(price),
                numbers=[inventory_services.NumberSpec(number.split("-", 1)[0], number)],
                user=access.SYSTEM,
            )

    def _stock(self, user):
        for plant_name, number, quantity, condition, exchangeable, location in STOCK:
            plant, part = Plant.objects.get(name=plant_name), part_find_by_number(number)
            # A number removed from the catalogue since leaves its demo stock out; an item recounted, moved
            # to another shelf or whose number now names another part is still the demo's item.
            if (
                part is None
                or plant.stock_items.filter(Q(location=location) | Q(part=part, condition=condition)).exists()
            ):
                continue
            inventory_services.stock_item_create(
                plant=plant,
                part=part,
                quantity=quantity,
                condition=condition,
                exchangeable=exchangeable,
                location=location,
                user=user,
            )

    def _capabilities(self):
        for plant_name, process, designations, diameter, length, weight, it_grade, lead in CAPABILITIES:
            plant = Plant.objects.get(name=plant_name)
            if Capability.objects.filter(plant=plant, process=process).exists():
                continue
            inventory_services.capability_create(
                plant=plant,
                process=process,
                materials=Material.objects.filter(pk__in=material_ids_by_designations(designations).values()),
                max_diameter_mm=diameter,
                max_length_mm=length,
                max_weight_kg=weight,
                best_it_grade=it_grade,
                lead_time_days=lead,
                user=access.SYSTEM,
            )

    def _shortages(self):
        today = timezone.localdate()
        for plant_name, number, quantity, criticality, days in SHORTAGES:
            plant = Plant.objects.get(name=plant_name)
            part = part_find_by_number(number)
            # The same number, or the part it names, whatever the request became since.
            already = Q(number=number) | Q(part=part) if part else Q(number=number)
            if PartRequest.objects.filter(already, plant=plant).exists():
                continue
            requester = Membership.objects.filter(plant=plant).select_related("user").first()
            user = requester.user if requester else self._plant_user(plant)
            exchange_services.part_request_create(
                plant=plant,
                user=user,
                number=number,
                quantity=quantity,
                criticality=criticality,
                needed_by=today + timedelta(days=days),
            )

    def _plant_user(self, plant):
        """An author for the demo shortage of a plant without a demo login; inactive, so that nobody signs in as it."""
        user, created = get_user_model().objects.get_or_create(
            username=f"plant{plant.pk}", defaults={"is_active": False}
        )
        inventory_services.membership_create(member=user, plant=plant, user=access.SYSTEM)
        return user
