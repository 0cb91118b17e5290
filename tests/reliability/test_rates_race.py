"""Two administrators entering the same day's rate at the same instant: one rate is kept, the other is told why."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from exchange import rates
from exchange.models import ExchangeRate
from tests.conftest import requires_postgres
from tests.factories import UserFactory
from tests.racing import all_at_once

RACERS = 8


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_racing_entries_of_one_day_keep_one_rate_and_refuse_the_others_naming_the_date():
    admin = UserFactory(is_staff=True, is_superuser=True)

    def enter(index):
        return rates.exchange_rate_save(
            exchange_rate=ExchangeRate(date=date(2026, 11, 27), rate=Decimal(245 + index)), user=admin
        )

    def outcome(result):
        if isinstance(result, ValidationError):
            return "refused: " + ",".join(sorted(result.message_dict))
        return "saved" if isinstance(result, ExchangeRate) else repr(result)

    outcomes = [
        outcome(result) for result in all_at_once([lambda index=index: enter(index) for index in range(RACERS)])
    ]

    assert sorted(outcomes) == ["refused: date"] * (RACERS - 1) + ["saved"]
    assert ExchangeRate.objects.filter(date=date(2026, 11, 27)).count() == 1
