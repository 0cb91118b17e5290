"""SPEC "Urgency" in SQL (exchange.selectors.urgency_rank and the orders built on it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exchange import selectors
from exchange.models import Criticality, PartRequest
from tests.factories import PlantFactory

pytestmark = pytest.mark.django_db


def test_stopped_before_degraded_before_preventive_and_the_longest_stopped_first():
    plant, today = PlantFactory(), timezone.localdate()

    def post(criticality, stopped_days_ago=None):
        stopped_since = today - timedelta(days=stopped_days_ago) if stopped_days_ago is not None else None
        return PartRequest.objects.create(
            plant=plant, description="Eje", quantity=1, criticality=criticality, stopped_since=stopped_since
        ).pk

    preventive = post(Criticality.PREVENTIVE)
    stopped_yesterday = post(Criticality.PRODUCTION_STOPPED, 1)
    degraded = post(Criticality.DEGRADED)
    stopped_unknown = post(Criticality.PRODUCTION_STOPPED)
    stopped_a_week = post(Criticality.PRODUCTION_STOPPED, 7)

    order = list(selectors.open_requests_by_urgency().values_list("pk", flat=True))

    assert order == [stopped_a_week, stopped_yesterday, stopped_unknown, degraded, preventive]
