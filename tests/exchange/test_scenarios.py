"""The public evaluation (tests/data/scenarios.json) holds its bar."""

import pytest

from bench.evaluate_matching import evaluate

pytestmark = pytest.mark.django_db


def test_the_engine_ranks_the_expected_source_first_and_never_proposes_an_infeasible_one():
    results = evaluate()

    assert len(results) == 12
    assert sum(result["top1"] for result in results) >= 11, [r["key"] for r in results if not r["top1"]]
    assert all(result["top3"] for result in results), [r["key"] for r in results if not r["top3"]]
    assert sum(result["infeasible"] for result in results) == 0
