"""Two administrators entering the same day's rate at the same instant: one rate is kept, the other is told why."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from exchange import rates
from exchange.models import ExchangeRate
from tests.conftest import requires_postgres
from tests.factories import UserFactory

RACERS = 8


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_racing_entries_of_one_day_keep_one_rate_and_refuse_the_others_naming_the_date():
    admin = UserFactory(is_staff=True, is_superuser=True)
    barrier = threading.Barrier(RACERS)
    outcomes, lock = [], threading.Lock()

    def enter(index):
        try:
            barrier.wait(timeout=30)
            rates.exchange_rate_save(
                exchange_rate=ExchangeRate(date=date(2026, 11, 27), rate=Decimal(245 + index)), user=admin
            )
            outcome = "saved"
        except ValidationError as error:
            outcome = "refused: " + ",".join(sorted(error.message_dict))
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=enter, args=(index,)) for index in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["refused: date"] * (RACERS - 1) + ["saved"]
    assert ExchangeRate.objects.filter(date=date(2026, 11, 27)).count() == 1
