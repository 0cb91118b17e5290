"""exchange.engine.rules on plain candidates: no database."""

from datetime import date
from decimal import Decimal

import pytest

from exchange.engine import rules
from exchange.engine.rules import CapabilityCandidate, RequestSpec, SourceRecord, StockCandidate

TODAY = date(2026, 3, 1)
WEIGHTS = {"fit": 0.35, "distance": 0.30, "lead_time": 0.15, "record": 0.10}
CARACAS = (10.48, -66.90)
VALENCIA = (10.16, -68.00)
MARACAIBO = (10.65, -71.64)
STEEL_1045, STEEL_4140 = 1, 2


def spec(**fields):
    defaults = {"part_id": 10, "quantity": 2, "plant_id": 1, "latitude": CARACAS[0], "longitude": CARACAS[1]}
    return RequestSpec(**(defaults | fields))


def stock(stock_item_id=100, *, where=VALENCIA, **fields):
    defaults = {
        "stock_item_id": stock_item_id,
        "part_id": 10,
        "plant_id": stock_item_id,
        "quantity_available": 5,
        "condition": "new",
        "exchangeable": True,
        "latitude": where[0],
        "longitude": where[1],
    }
    return StockCandidate(**(defaults | fields))


def capability(capability_id=200, *, process="turning", plant_id=50, where=VALENCIA, **fields):
    defaults = {
        "capability_id": capability_id,
        "plant_id": plant_id,
        "process": process,
        "material_ids": frozenset({STEEL_1045}),
        "max_diameter_mm": Decimal("400"),
        "max_length_mm": Decimal("2000"),
        "max_weight_kg": Decimal("500"),
        "best_it_grade": 7,
        "lead_time_days": 10,
        "latitude": where[0],
        "longitude": where[1],
    }
    return CapabilityCandidate(**(defaults | fields))


def rank(request_spec, stock_candidates=(), capabilities=(), records=None, top_n=10):
    return rules.rank(
        request_spec,
        list(stock_candidates),
        list(capabilities),
        records or {},
        weights=WEIGHTS,
        distance_half_km=300,
        today=TODAY,
        top_n=top_n,
    )


def test_great_circle_distance_caracas_to_maracaibo_is_about_520_km():
    assert rules.great_circle_km(*CARACAS, *MARACAIBO) == pytest.approx(520, abs=15)


def test_distance_is_unknown_without_coordinates():
    assert rules.great_circle_km(None, -66.9, *MARACAIBO) is None


def test_stock_without_units_available_or_not_exchangeable_is_infeasible():
    assert not rules.stock_is_feasible(stock(quantity_available=0))
    assert not rules.stock_is_feasible(stock(exchangeable=False))
    assert rules.stock_is_feasible(stock())


def test_capability_for_another_process_does_not_serve():
    assert not rules.capability_serves(spec(processes=("milling",)), capability(process="turning"))


def test_capability_must_handle_the_requested_material():
    assert rules.capability_serves(spec(processes=("turning",), material_id=STEEL_1045), capability())
    assert not rules.capability_serves(spec(processes=("turning",), material_id=STEEL_4140), capability())


def test_rewinding_ignores_material():
    rewinding = capability(process="motor_rewinding", material_ids=frozenset())
    assert rules.capability_serves(spec(processes=("motor_rewinding",), material_id=STEEL_4140), rewinding)


@pytest.mark.parametrize("dimension", ["diameter_mm", "length_mm", "weight_kg"])
def test_each_envelope_limit_is_a_hard_condition(dimension):
    limit = {"diameter_mm": "max_diameter_mm", "length_mm": "max_length_mm", "weight_kg": "max_weight_kg"}[dimension]
    small = capability(**{limit: Decimal("100")})
    assert rules.capability_serves(spec(processes=("turning",), **{dimension: Decimal("100")}), small)
    assert not rules.capability_serves(spec(processes=("turning",), **{dimension: Decimal("100.5")}), small)


def test_a_capability_with_no_stated_limit_holds_any_size():
    unlimited = capability(max_diameter_mm=None)
    assert rules.capability_serves(spec(processes=("turning",), diameter_mm=Decimal("5000")), unlimited)


@pytest.mark.parametrize(("part_grade", "feasible"), [(8, True), (7, True), (6, False)])
def test_it7_capability_makes_it8_and_it7_parts_not_it6(part_grade, feasible):
    chosen = rules.fabricator_capabilities(spec(processes=("turning",), it_grade=part_grade), [capability()])
    assert (chosen is not None) is feasible


def test_every_required_process_must_be_offered_by_the_plant():
    request_spec = spec(processes=("gear_cutting", "turning"))
    assert rules.fabricator_capabilities(request_spec, [capability()]) is None
    both = [capability(), capability(201, process="gear_cutting", best_it_grade=8)]
    assert len(rules.fabricator_capabilities(request_spec, both)) == 2


def test_the_finishing_process_sets_the_tolerance():
    # Heat treatment holds no tolerance; grinding at IT5 finishes the part.
    request_spec = spec(processes=("grinding", "heat_treatment"), it_grade=6)
    chosen = rules.fabricator_capabilities(
        request_spec,
        [
            capability(process="heat_treatment", best_it_grade=None),
            capability(201, process="grinding", best_it_grade=5),
        ],
    )
    assert chosen is not None


def test_a_request_with_no_processes_gets_no_fabrication():
    assert rank(spec(processes=()), capabilities=[capability()]) == []


def test_nearer_stock_ranks_above_farther_stock_all_else_equal():
    proposals = rank(spec(), [stock(1, where=MARACAIBO), stock(2, where=VALENCIA)])
    assert [proposal.stock_item_id for proposal in proposals] == [2, 1]


def test_new_stock_ranks_above_used_stock_all_else_equal():
    proposals = rank(spec(), [stock(1, condition="used"), stock(2, condition="new")])
    assert [proposal.stock_item_id for proposal in proposals] == [2, 1]


def test_the_same_part_ranks_above_a_cross_referenced_one():
    proposals = rank(spec(), [stock(1, part_id=11), stock(2)])
    assert [proposal.explanation["fit"] for proposal in proposals] == ["same_part", "cross_reference"]


def test_a_source_with_fewer_units_is_proposed_for_what_it_holds_and_ranked_lower():
    proposals = rank(spec(quantity=4), [stock(1, quantity_available=1), stock(2, quantity_available=4)])
    assert [(proposal.stock_item_id, proposal.quantity) for proposal in proposals] == [(2, 4), (1, 1)]


def test_a_source_with_cancelled_matches_ranks_below_one_that_delivers():
    records = {1: SourceRecord(fulfilled=0, cancelled=5), 2: SourceRecord(fulfilled=5, cancelled=0)}
    proposals = rank(spec(), [stock(1), stock(2)], records=records)
    assert [proposal.plant_id for proposal in proposals] == [2, 1]


def test_a_fabricator_late_for_the_date_ranks_below_one_in_time():
    request_spec = spec(processes=("turning",), needed_by=date(2026, 3, 11))
    proposals = rank(
        request_spec,
        capabilities=[
            capability(1, plant_id=1, lead_time_days=30),
            capability(2, plant_id=2, lead_time_days=5),
        ],
    )
    assert [proposal.plant_id for proposal in proposals] == [2, 1]


def test_ranking_keeps_only_the_best_n():
    proposals = rank(spec(), [stock(number) for number in range(1, 8)], top_n=3)
    assert len(proposals) == 3


def test_every_proposal_explains_its_score():
    (proposal,) = rank(spec(), [stock()])
    assert 0 <= proposal.score <= 1
    assert (proposal.explanation["units"], proposal.explanation["needed"]) == (2, 2)
    assert set(proposal.explanation["parts"]) == set(WEIGHTS) | {"coverage"}


# Sources holding fewer units than needed


def test_a_full_source_across_the_country_beats_a_neighbour_holding_two_of_five():
    neighbour = stock(1, where=CARACAS, quantity_available=2)
    full_far = stock(2, where=MARACAIBO, quantity_available=5)

    first, second = rank(spec(quantity=5), [neighbour, full_far])

    assert (first.stock_item_id, second.stock_item_id) == (2, 1)


def test_a_neighbour_holding_four_of_five_beats_a_full_source_across_the_country():
    neighbour = stock(1, where=CARACAS, quantity_available=4)
    full_far = stock(2, where=MARACAIBO, quantity_available=5)

    assert [proposal.stock_item_id for proposal in rank(spec(quantity=5), [neighbour, full_far])] == [1, 2]


def test_a_full_source_nearby_beats_a_partial_one_next_door():
    next_door = stock(1, where=CARACAS, quantity_available=4)
    nearby = stock(2, where=VALENCIA, quantity_available=5)

    assert [proposal.stock_item_id for proposal in rank(spec(quantity=5), [next_door, nearby])][0] == 2


def test_partial_sources_together_each_say_how_many_units_they_cover():
    proposals = rank(spec(quantity=5), [stock(1, quantity_available=2), stock(2, quantity_available=3)])

    covered = {
        proposal.stock_item_id: (proposal.explanation["units"], proposal.explanation["needed"])
        for proposal in proposals
    }
    assert covered == {1: (2, 5), 2: (3, 5)}
    assert [proposal.quantity for proposal in proposals] == [3, 2]
