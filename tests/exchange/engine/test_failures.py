"""The engine's hard conditions one by one (rules.capability_failures, workshop_failures): they say why a
workshop is not proposed, and they are the same rule as fabricator_capabilities. No database."""

import random
from decimal import Decimal

from exchange.engine import rules
from exchange.engine.rules import CapabilityCandidate, RequestSpec

STEEL, BRONZE = 1, 2


def spec(**fields):
    return RequestSpec(
        **({"part_id": None, "quantity": 1, "plant_id": 1, "latitude": 10.5, "longitude": -66.9} | fields)
    )


def capability(capability_id=1, process="turning", materials=(STEEL,), **fields):
    defaults = {
        "capability_id": capability_id,
        "plant_id": 9,
        "process": process,
        "material_ids": frozenset(materials),
        "max_diameter_mm": None,
        "max_length_mm": None,
        "max_weight_kg": None,
        "best_it_grade": None,
        "lead_time_days": 7,
        "latitude": 8.3,
        "longitude": -62.7,
    }
    return CapabilityCandidate(**(defaults | fields))


def test_each_failed_condition_of_a_capability_is_named():
    lathe = capability(max_diameter_mm=Decimal(50))

    failures = rules.capability_failures(
        spec(processes=("milling",), material_id=BRONZE, diameter_mm=Decimal(80)), lathe
    )

    assert failures == (rules.PROCESS_NOT_NEEDED, rules.MATERIAL_NOT_HANDLED, rules.TOO_LARGE)
    assert rules.capability_failures(spec(processes=("turning",), material_id=STEEL), lathe) == ()


def test_a_workshop_names_its_missing_processes_and_an_unreached_grade():
    lathe = capability(best_it_grade=9)

    missing = rules.workshop_failures(spec(processes=("turning", "grinding")), [lathe])
    too_coarse = rules.workshop_failures(spec(processes=("turning",), it_grade=7), [lathe])

    assert missing.missing_processes == ("grinding",) and not missing.it_grade_not_reached
    assert too_coarse.missing_processes == () and too_coarse.it_grade_not_reached


def test_a_part_that_names_no_process_fails_nothing():
    assert rules.workshop_failures(spec(), [capability()]) == rules.WorkshopFailures((), False, {})


def test_the_conditions_one_by_one_agree_with_the_engines_rule_on_random_workshops():
    generator = random.Random(15)
    processes = ["turning", "milling", "grinding", "motor_rewinding"]
    for _case in range(2000):
        chosen_processes = generator.sample(processes, generator.randint(1, 3))
        capabilities = [
            capability(
                index,
                process,
                materials=generator.sample([STEEL, BRONZE], generator.randint(0, 2)),
                max_diameter_mm=generator.choice([None, Decimal(50), Decimal(300)]),
                max_weight_kg=generator.choice([None, Decimal(20), Decimal(900)]),
                best_it_grade=generator.choice([None, 6, 8, 11]),
            )
            for index, process in enumerate(chosen_processes)
        ]
        request = spec(
            processes=tuple(generator.sample(processes, generator.randint(1, 2))),
            material_id=generator.choice([None, STEEL, BRONZE]),
            diameter_mm=generator.choice([None, Decimal(40), Decimal(100)]),
            weight_kg=generator.choice([None, Decimal(10), Decimal(100)]),
            it_grade=generator.choice([None, 7, 9]),
        )

        failures = rules.workshop_failures(request, capabilities)

        feasible = rules.fabricator_capabilities(request, capabilities) is not None
        assert feasible == (not failures.missing_processes and not failures.it_grade_not_reached)
        for candidate in capabilities:
            assert rules.capability_serves(request, candidate) == (not failures.by_capability[candidate.capability_id])
