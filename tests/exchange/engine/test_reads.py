"""exchange.engine.reads: what the SQL retrieves is what the rules accept.

The hard conditions of capability fit are written in Python (rules.capability_serves,
rules.fabricator_capabilities), in the candidate SQL (reads.capability_candidates), in
the reverse-match filter (reads.open_requests_for_capability) and in the filter of the
requests a workshop can make (reads.requests_a_workshop_can_make, the board's and the
capabilities page's). Random capabilities and requests show they agree on every
condition: the process set, the material, each envelope limit and the IT grade. Parts sharing a number are written in the stock
candidate SQL and in inventory.selectors.interchangeable_parts (the reverse match's
filter): random numbers, written in forms that normalize alike, show both follow SPEC's rule.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange.engine import reads, rules
from exchange.models import PartRequest
from inventory.models import Capability
from inventory.processes import Process
from tests.factories import MaterialFactory, PlantFactory, ShopFactory

PROCESSES = [Process.TURNING, Process.MILLING, Process.GRINDING, Process.MOTOR_REWINDING]
SHOPS = 2
MATERIALS = 2
# Few values, so that a limit often equals a size, on one side or the other of it, a fractional
# one included (SQLite hands decimals back as floats); half the time no limit or no size.
SIZES = st.none() | st.sampled_from([Decimal("50"), Decimal("50.001"), Decimal("111.8")])
GRADES = st.none() | st.integers(min_value=6, max_value=8)

capability_limits = st.fixed_dictionaries(
    {
        "materials": st.sets(st.integers(0, MATERIALS - 1)),
        "max_diameter_mm": SIZES,
        "max_length_mm": SIZES,
        "max_weight_kg": SIZES,
        "best_it_grade": GRADES,
    }
)
# A plant holds at most one capability per process (a unique constraint).
capabilities = st.dictionaries(
    st.tuples(st.integers(0, SHOPS - 1), st.sampled_from(PROCESSES)), capability_limits, max_size=8
)
request_specs = st.lists(
    st.fixed_dictionaries(
        {
            "processes": st.sets(st.sampled_from(PROCESSES), max_size=2),
            "material": st.none() | st.integers(0, MATERIALS - 1),
            "diameter_mm": SIZES,
            "length_mm": SIZES,
            "weight_kg": SIZES,
            "it_grade": GRADES,
        }
    ),
    min_size=1,
    max_size=4,
)
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    database=None,
    # Each example writes inside its own savepoint and rolls it back: the function-scoped
    # database fixture holds only the plants and materials that every example shares.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def country(db):
    return {
        "requester": PlantFactory(latitude=10.48, longitude=-66.9),
        "shops": [ShopFactory(latitude=10.16 + index, longitude=-68.0) for index in range(SHOPS)],
        "materials": [MaterialFactory() for _ in range(MATERIALS)],
    }


class RolledBack(Exception):
    pass


def in_rolled_back_savepoint(check):
    try:
        with transaction.atomic():
            check()
            raise RolledBack
    except RolledBack:
        pass


def store_capabilities(country, drawn) -> list[rules.CapabilityCandidate]:
    """The capabilities drawn, written to the database, as the rules see them (every material)."""
    stored = []
    for (shop_index, process), limits in drawn.items():
        shop = country["shops"][shop_index]
        materials = [country["materials"][index] for index in sorted(limits["materials"])]
        fields = {name: value for name, value in limits.items() if name != "materials"}
        row = Capability.objects.create(plant=shop, process=process, lead_time_days=10, **fields)
        row.materials.set(materials)
        stored.append(
            rules.CapabilityCandidate(
                capability_id=row.pk,
                plant_id=shop.pk,
                process=process,
                material_ids=frozenset(material.pk for material in materials),
                latitude=shop.latitude,
                longitude=shop.longitude,
                lead_time_days=10,
                **fields,
            )
        )
    return stored


def store_requests(country, drawn) -> dict[int, rules.RequestSpec]:
    """The requests drawn, written to the database, as the engine reads them back."""
    ids = []
    for spec in drawn:
        material = None if spec["material"] is None else country["materials"][spec["material"]]
        fields = {name: value for name, value in spec.items() if name not in ("processes", "material")}
        part_request = PartRequest.objects.create(
            plant=country["requester"],
            description="Pieza",
            quantity=1,
            criticality="degraded",
            material=material,
            processes=sorted(spec["processes"]),
            **fields,
        )
        ids.append(part_request.pk)
    return reads.open_request_specs(ids)


def plants_the_rules_accept(spec, stored):
    by_plant = {}
    for capability in stored:
        by_plant.setdefault(capability.plant_id, []).append(capability)
    return {
        plant_id: sorted(capability.capability_id for capability in chosen)
        for plant_id, plant_capabilities in by_plant.items()
        if (chosen := rules.fabricator_capabilities(spec, plant_capabilities))
    }


@EXAMPLES
@given(drawn_capabilities=capabilities, drawn_requests=request_specs)
def test_the_candidate_sql_retrieves_exactly_the_fabricators_the_rules_accept(
    country, drawn_capabilities, drawn_requests
):
    def check():
        stored = store_capabilities(country, drawn_capabilities)
        specs = store_requests(country, drawn_requests)
        index = reads.capability_index()
        for spec in specs.values():
            accepted = plants_the_rules_accept(spec, stored)

            retrieved = reads.capability_candidates(spec)
            # No plant the rules would refuse, and each plant's capabilities as the rules choose them.
            assert {candidate.plant_id for candidate in retrieved} == set(accepted)
            assert plants_the_rules_accept(spec, retrieved) == accepted
            # The sweep's index leaves the grade to the rules: it may keep more, never less.
            from_index = index.candidates_for(spec) if spec.processes else []
            assert plants_the_rules_accept(spec, from_index) == accepted

    in_rolled_back_savepoint(check)


@EXAMPLES
@given(drawn_capabilities=capabilities, drawn_requests=request_specs)
def test_the_reverse_match_filter_selects_exactly_the_requests_the_rule_accepts(
    country, drawn_capabilities, drawn_requests
):
    def check():
        stored = store_capabilities(country, drawn_capabilities)
        specs = store_requests(country, drawn_requests)
        for capability in stored:
            accepted = {request_id for request_id, spec in specs.items() if rules.capability_serves(spec, capability)}

            selected = reads.open_requests_for_capability(Capability.objects.get(pk=capability.capability_id))

            assert set(selected) == accepted

    in_rolled_back_savepoint(check)


# One plant's workshop: at most one capability per process, of all the processes requests draw from.
workshop_capabilities = st.dictionaries(st.sampled_from(PROCESSES), capability_limits, max_size=len(PROCESSES))


@EXAMPLES
@given(drawn_capabilities=workshop_capabilities, drawn_requests=request_specs)
def test_the_workshop_filter_selects_exactly_the_requests_the_rule_lets_it_make(
    country, drawn_capabilities, drawn_requests
):
    def check():
        stored = store_capabilities(country, {(0, process): limits for process, limits in drawn_capabilities.items()})
        specs = store_requests(country, drawn_requests)
        accepted = {request_id for request_id, spec in specs.items() if rules.fabricator_capabilities(spec, stored)}

        selected = PartRequest.objects.filter(reads.requests_a_workshop_can_make(stored))

        assert set(selected.values_list("pk", flat=True)) == accepted

    in_rolled_back_savepoint(check)


# Parts sharing a number: inventory.selectors.interchangeable_parts (the reverse match's filter) and the
# stock candidate SQL (reads.stock_candidates_for_parts) against the rule as SPEC states it.
# Written forms that normalize alike, and one that does not, so that numbers collide often.
WRITTEN_NUMBERS = ["6205-2RS", "6205 2rs", "62052RS", "6206", "6206-ZZ"]
PARTS = 4

stock_rows = st.lists(
    st.fixed_dictionaries(
        {
            "part": st.integers(0, PARTS - 1),
            "quantity": st.integers(0, 3),
            "reserved": st.integers(0, 3),
            "exchangeable": st.booleans(),
        }
    ),
    max_size=6,
)
part_numbers = st.lists(st.sets(st.sampled_from(WRITTEN_NUMBERS), max_size=2), min_size=PARTS, max_size=PARTS)


def store_parts_and_stock(country, drawn_numbers, drawn_stock):
    from inventory.models import Part, PartNumber, StockItem
    from inventory.normalization import normalize_code

    parts = [Part.objects.create(name=f"Rodamiento {index}") for index in range(PARTS)]
    normalized = {}
    for part, numbers in zip(parts, drawn_numbers, strict=True):
        for number in numbers:
            PartNumber.objects.create(part=part, brand=f"Marca {WRITTEN_NUMBERS.index(number)}", number=number)
        normalized[part.pk] = {normalize_code(number) for number in numbers}
    items = []
    for index, row in enumerate(drawn_stock):
        quantity = row["quantity"]
        items.append(
            StockItem.objects.create(
                plant=country["shops"][index % SHOPS],
                part=parts[row["part"]],
                quantity=quantity,
                reserved=min(row["reserved"], quantity),
                exchangeable=row["exchangeable"],
                location=f"E{index}",
            )
        )
    return parts, normalized, items


def shares_a_number(normalized, part_id, other_id):
    return part_id == other_id or bool(normalized[part_id] & normalized[other_id])


@EXAMPLES
@given(drawn_numbers=part_numbers, drawn_stock=stock_rows)
def test_stock_candidates_and_the_cross_reference_filter_follow_the_shared_number_rule(
    country, drawn_numbers, drawn_stock
):
    from inventory.models import StockItem
    from inventory.selectors import interchangeable_parts

    def check():
        parts, normalized, items = store_parts_and_stock(country, drawn_numbers, drawn_stock)
        candidates = reads.stock_candidates_for_parts([part.pk for part in parts])
        for part in parts:
            sharing = {item.pk for item in items if shares_a_number(normalized, part.pk, item.part_id)}
            available = {item.pk for item in items if item.pk in sharing and item.exchangeable}
            available = {pk for pk in available if StockItem.objects.get(pk=pk).quantity_available > 0}
            assert {candidate.stock_item_id for candidate in candidates[part.pk]} == available
            assert set(StockItem.objects.filter(interchangeable_parts(part.pk)).values_list("pk", flat=True)) == sharing

    in_rolled_back_savepoint(check)


@EXAMPLES
@given(drawn_numbers=part_numbers, drawn_stock=stock_rows.filter(bool))
def test_the_reverse_match_of_a_stock_item_selects_the_requests_of_parts_sharing_a_number(
    country, drawn_numbers, drawn_stock
):
    def check():
        parts, normalized, items = store_parts_and_stock(country, drawn_numbers, drawn_stock)
        requests = {
            PartRequest.objects.create(plant=country["requester"], part=part, quantity=1).pk: part.pk for part in parts
        }
        for item in items:
            expected = {pk for pk, part_id in requests.items() if shares_a_number(normalized, item.part_id, part_id)}
            assert set(reads.open_requests_for_stock_item(item).values_list("pk", flat=True)) == expected

    in_rolled_back_savepoint(check)


# Approved interchanges (SPEC, "Interchangeable parts"): the stock candidate SQL and the reverse match's
# inventory.selectors.part_ids_served_by_stock_of against the rule, over random numbers and interchanges.
interchange_rows = st.dictionaries(
    st.tuples(st.integers(0, PARTS - 1), st.integers(0, PARTS - 1)).filter(lambda pair: pair[0] < pair[1]),
    st.fixed_dictionaries(
        {
            "reversed": st.booleans(),
            "two_way": st.booleans(),
            "status": st.sampled_from(["proposed", "approved", "rejected"]),
        }
    ),
    max_size=4,
)


def store_interchanges(parts, drawn) -> list:
    from inventory.models import Interchange

    stored = []
    for (first, second), fields in drawn.items():
        part, substitute = (parts[second], parts[first]) if fields["reversed"] else (parts[first], parts[second])
        stored.append(
            Interchange.objects.create(
                part=part, substitute=substitute, two_way=fields["two_way"], status=fields["status"], note="x"
            )
        )
    return stored


def served_by_rule(normalized, interchanges, part_id) -> dict[int, int | None]:
    """The parts whose stock serves a need for part_id, each with the interchange it goes through (None: a number)."""
    family = {other for other in normalized if shares_a_number(normalized, part_id, other)}
    served = dict.fromkeys(family)
    for interchange in sorted(interchanges, key=lambda row: row.pk):
        if interchange.status != "approved":
            continue
        others = []
        if interchange.part_id in family:
            others.append(interchange.substitute_id)
        if interchange.two_way and interchange.substitute_id in family:
            others.append(interchange.part_id)
        for other in others:
            for sharing in normalized:
                if shares_a_number(normalized, other, sharing):
                    served.setdefault(sharing, interchange.pk)
    return served


@EXAMPLES
@given(drawn_numbers=part_numbers, drawn_stock=stock_rows, drawn_interchanges=interchange_rows)
def test_stock_candidates_follow_the_interchange_rule_and_name_the_interchange(
    country, drawn_numbers, drawn_stock, drawn_interchanges
):
    def check():
        parts, normalized, items = store_parts_and_stock(country, drawn_numbers, drawn_stock)
        interchanges = store_interchanges(parts, drawn_interchanges)
        candidates = reads.stock_candidates_for_parts([part.pk for part in parts])
        for part in parts:
            served = served_by_rule(normalized, interchanges, part.pk)
            expected = {
                item.pk: served[item.part_id]
                for item in items
                if item.part_id in served and item.exchangeable and item.quantity > item.reserved
            }
            assert {c.stock_item_id: c.interchange_id for c in candidates[part.pk]} == expected

    in_rolled_back_savepoint(check)


@EXAMPLES
@given(drawn_numbers=part_numbers, drawn_stock=stock_rows.filter(bool), drawn_interchanges=interchange_rows)
def test_the_reverse_match_of_a_stock_item_selects_the_requests_its_stock_serves_through_interchanges(
    country, drawn_numbers, drawn_stock, drawn_interchanges
):
    def check():
        parts, normalized, items = store_parts_and_stock(country, drawn_numbers, drawn_stock)
        interchanges = store_interchanges(parts, drawn_interchanges)
        requests = {
            PartRequest.objects.create(plant=country["requester"], part=part, quantity=1).pk: part.pk for part in parts
        }
        for item in items:
            expected = {
                pk
                for pk, part_id in requests.items()
                if item.part_id in served_by_rule(normalized, interchanges, part_id)
            }
            assert set(reads.open_requests_for_stock_item(item).values_list("pk", flat=True)) == expected

    in_rolled_back_savepoint(check)
