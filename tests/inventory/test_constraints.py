"""Check constraints validated in one query answer what Django's one query per constraint answers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction

from tests.factories import PartRequestFactory

pytestmark = pytest.mark.django_db


def errors_of(validate):
    try:
        validate()
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.parametrize(
    "values, exclude",
    [
        ({}, None),
        ({"quantity": 0}, None),
        ({"quantity": 2, "quantity_fulfilled": 3, "diameter_mm": -1.0, "it_grade": 30}, None),
        ({"length_mm": 0.0, "weight_kg": -2.0, "downtime_usd_per_day": Decimal("-1")}, None),
        ({"quantity": 0, "diameter_mm": -1.0}, ["quantity"]),
    ],
)
def test_a_requests_checks_fail_as_djangos_own_would_say(values, exclude):
    part_request = PartRequestFactory.build(plant=PartRequestFactory().plant, **values)

    errors = errors_of(lambda: part_request.validate_constraints(exclude=exclude))

    assert errors == errors_of(lambda: models.Model.validate_constraints(part_request, exclude=exclude))
    assert bool(errors) == bool(values)


def test_a_requests_checks_take_one_query_and_one_savepoint(django_assert_num_queries):
    part_request = PartRequestFactory.build(plant=PartRequestFactory().plant, quantity=0, weight_kg=-1.0)

    with transaction.atomic(), django_assert_num_queries(3):
        errors = errors_of(part_request.validate_constraints)

    assert len(errors["__all__"]) == 2
