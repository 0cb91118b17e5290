"""A workshop's board of the shortages it can make and its capabilities page, over many shortages: every
page, and each capability's count and first three, are what the engine's rule in Python selects."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from exchange import services as exchange_services
from exchange.engine import rules
from exchange.selectors import (
    capability_candidate,
    fitting_requests_by_capability,
    open_requests_by_urgency,
    plant_capabilities,
    request_spec,
)
from tests.factories import MaterialFactory, MembershipFactory, ShopFactory, capability

from .conftest import signed_in

PAGE_SIZE = 25


@pytest.fixture
def workshop(db):
    return ShopFactory(name="Taller Guayana", latitude=8.3, longitude=-62.7)


@pytest.fixture
def foreman_client(workshop):
    return signed_in(MembershipFactory(plant=workshop, user__username="capataz").user)


@pytest.fixture
def shortages(plant, member, workshop):
    """130 shortages of every urgency and stop date, that the workshop can make or that fail one condition."""
    steel, bronze = MaterialFactory(name="Acero 1045"), MaterialFactory(name="Bronce")
    today = timezone.localdate()
    capability(plant=workshop, process="turning", materials=[steel], max_diameter_mm=300, best_it_grade=7)
    capability(plant=workshop, process="motor_rewinding", max_weight_kg=500)
    kinds = [
        {"material": steel, "processes": ["turning"], "diameter_mm": 100},
        {"material": steel, "processes": ["turning"], "diameter_mm": 400},
        {"material": bronze, "processes": ["turning"]},
        {"processes": ["turning", "motor_rewinding"], "it_grade": 8, "weight_kg": 200},
        {"material": steel, "processes": ["turning"], "it_grade": 6},
        {"material": steel, "processes": ["turning", "grinding"]},
        {"material": bronze, "processes": ["motor_rewinding"]},
        {"processes": ["motor_rewinding"], "weight_kg": 80},
        {"processes": ["motor_rewinding"], "weight_kg": 800},
        {},
    ]
    urgencies = [
        {"criticality": "production_stopped", "stopped_since": today - timedelta(days=30), "downtime_usd_per_day": 900},
        {"criticality": "production_stopped", "stopped_since": today - timedelta(days=12)},
        {"criticality": "production_stopped"},
        {"criticality": "degraded"},
        {"criticality": "preventive"},
    ]
    for number in range(130):
        fields = {"quantity": 1} | kinds[number % len(kinds)] | urgencies[number // 3 % len(urgencies)]
        if "stopped_since" in fields:
            fields["stopped_since"] -= timedelta(days=number % 7)
        exchange_services.part_request_create(plant=plant, user=member, description=f"Pieza {number}", **fields)


def fitting_by_the_rule(workshop) -> list[int]:
    """The open shortages, most urgent first, for which the engine's rule in Python chooses the workshop."""
    candidates = [capability_candidate(c) for c in plant_capabilities(workshop.pk)]
    return [
        part_request.pk
        for part_request in open_requests_by_urgency().select_related("plant")
        if rules.fabricator_capabilities(request_spec(part_request), candidates)
    ]


def listed(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'class="item" href="/requests/(\d+)/"', page)]


def test_the_pages_list_every_shortage_the_rule_fits_in_board_order_and_no_other(foreman_client, workshop, shortages):
    expected = fitting_by_the_rule(workshop)
    pages, url = [], "?fits=on"
    while url:
        page = foreman_client.get(f"/board/{url}").content.decode()
        pages.append(listed(page))
        next_link = re.search(r'<a href="([^"]+)" rel="next"', page)
        url = html.unescape(next_link.group(1)) if next_link else ""

    assert len(expected) > 2 * PAGE_SIZE
    assert [pk for rows in pages for pk in rows] == expected
    assert all(len(rows) == PAGE_SIZE for rows in pages[:-1]) and 0 < len(pages[-1]) <= PAGE_SIZE


def test_the_pages_keep_the_boards_other_filters(foreman_client, workshop, shortages):
    degraded = set(open_requests_by_urgency().filter(criticality="degraded").values_list("pk", flat=True))
    expected = [pk for pk in fitting_by_the_rule(workshop) if pk in degraded]

    page = foreman_client.get("/board/", {"fits": "on", "criticality": "degraded"}).content.decode()

    assert listed(page) == expected and expected


def test_each_capability_counts_and_shows_first_the_most_urgent_shortages_needing_it(
    foreman_client, workshop, shortages
):
    expected = fitting_by_the_rule(workshop)
    processes = dict(open_requests_by_urgency().values_list("pk", "processes"))

    fits = fitting_requests_by_capability(plant_capabilities(workshop.pk))
    page = foreman_client.get("/capabilities/").content.decode()

    for made in plant_capabilities(workshop.pk):
        needing = [pk for pk in expected if made.process in processes[pk]]
        assert len(needing) > 3
        assert fits[made.pk].count == len(needing)
        assert [part_request.pk for part_request in fits[made.pk].first] == needing[:3]
        assert f"Sirve hoy a {len(needing)} solicitudes abiertas" in page
