"""SPEC "Urgency" in SQL (exchange/urgency.py and the orders built on it)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exchange import notifications, selectors
from exchange.engine import run
from exchange.models import Criticality, Match, Notification, PartRequest
from tests.factories import MembershipFactory, PlantFactory, capability

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


def stopped_lines(plant, today):
    """Stopped lines whose order by days alone differs from their order by cost so far."""

    def post(description, criticality=Criticality.PRODUCTION_STOPPED, days=None, usd_per_day=None):
        return PartRequest.objects.create(
            plant=plant,
            description=description,
            quantity=1,
            criticality=criticality,
            stopped_since=today - timedelta(days=days) if days is not None else None,
            downtime_usd_per_day=usd_per_day,
        )

    return [
        post("Two days at 100 USD: 200", days=2, usd_per_day=100),
        post("Five days at 10 USD: 50", days=5, usd_per_day=10),
        post("Ten days, cost not given: 10", days=10),
        post("Stopped, since when not given"),
        post("Degraded", criticality=Criticality.DEGRADED),
    ]


def test_among_stopped_lines_the_costliest_so_far_comes_first_or_the_days_alone():
    lines = stopped_lines(PlantFactory(), timezone.localdate())

    order = list(selectors.open_requests_by_urgency().values_list("pk", flat=True))

    assert order == [line.pk for line in lines]


def test_the_sweep_matches_the_most_urgent_first(monkeypatch):
    lines = stopped_lines(PlantFactory(), timezone.localdate())
    PartRequest.objects.filter(pk=lines[0].pk).update(matched_at=timezone.now())
    swept = []
    monkeypatch.setattr(run, "match_in_batches", swept.extend)

    assert run.rematch_open_requests() == len(lines)

    assert swept == [line.pk for line in lines]


def test_the_dashboard_figure_is_the_cost_so_far_of_open_stopped_lines():
    plant = PlantFactory()
    stopped_lines(plant, timezone.localdate())
    closed = PartRequest.objects.create(
        plant=plant,
        description="Closed",
        quantity=1,
        criticality=Criticality.PRODUCTION_STOPPED,
        stopped_since=timezone.localdate() - timedelta(days=3),
        downtime_usd_per_day=Decimal("999"),
        status=PartRequest.Status.CANCELLED,
    )

    figures = selectors.open_stopped_downtime()

    assert figures == {"usd": Decimal("250.00"), "stopped": 4, "no_cost": 2}
    assert closed.downtime_cost_usd(timezone.localdate()) == Decimal("2997")


def test_the_requesting_plants_hear_of_new_sources_most_urgent_first():
    lines = stopped_lines(PlantFactory(), timezone.localdate())
    MembershipFactory(plant=lines[0].plant)
    workshop = capability(process="turning")
    proposals = [
        Match.objects.create(
            request=line, source="fabrication", capability=workshop, source_plant_id=workshop.plant_id, quantity=1
        ).pk
        for line in reversed(lines)
    ]

    assert notifications.proposals_notify(proposals) == len(lines)

    told = list(Notification.objects.order_by("pk").values_list("request_id", flat=True))
    assert told == [line.pk for line in lines]
