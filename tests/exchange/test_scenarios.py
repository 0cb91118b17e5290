"""The public evaluations (tests/data/scenarios.json, tests/data/scenarios_everyday.json) hold their bars."""

import pytest

from bench.evaluate_matching import EVERYDAY_SCENARIOS, evaluate


@pytest.mark.django_db
def test_the_engine_ranks_the_expected_source_first_and_never_proposes_an_infeasible_one():
    results = evaluate()

    assert len(results) == 12
    assert sum(result["top1"] for result in results) >= 11, [r["key"] for r in results if not r["top1"]]
    assert all(result["top3"] for result in results), [r["key"] for r in results if not r["top3"]]
    assert sum(result["infeasible"] for result in results) == 0


# Real commits: a count's after-commit work runs before the proposals are read, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_everyday_evaluation_ranks_every_shortage_whose_features_exist_right():
    results = evaluate(scenarios=EVERYDAY_SCENARIOS)

    assert len(results) >= 20
    assert [r["key"] for r in results if not r["top1"]] == []
    assert [r["key"] for r in results if not r["top3"]] == []
    assert sum(result["infeasible"] for result in results) == 0
