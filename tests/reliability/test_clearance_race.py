"""Racing on a clearance: two members asking at the same instant, and a grant racing a refusal."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from exchange import clearances
from exchange import services as exchange_services
from exchange.errors import TransitionNotAllowed
from exchange.models import Clearance, PartRequest
from tests.conftest import requires_postgres
from tests.racing import all_at_once, named
from tests.world import build_world

pytestmark = [pytest.mark.postgres, requires_postgres]


def outcomes_of(calls) -> Counter:
    """Each call in its own thread, released together; what each ended with."""
    return Counter(named(all_at_once(calls), done="done", refusals={TransitionNotAllowed: "refused"}))


def clearable_world():
    world = build_world()
    exchange_services.match_reject(match=world.match, user=world.users["admin"], reason="Dañado")
    PartRequest.objects.filter(pk=world.request.pk).update(created_at=timezone.now() - timedelta(days=4))
    world.request.refresh_from_db()
    return world


@pytest.mark.django_db(transaction=True)
def test_members_asking_at_the_same_instant_get_one_clearance():
    world = clearable_world()
    askers = [world.users["owner"], world.users["member"], world.users["admin_member"]]

    outcomes = outcomes_of(
        [lambda user=user: clearances.clearance_ask(part_request=world.request, user=user) for user in askers]
    )

    assert outcomes == Counter(done=1, refused=2)
    assert Clearance.objects.filter(request=world.request).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_grant_racing_a_refusal_decides_the_clearance_once():
    world = clearable_world()
    clearance = clearances.clearance_ask(part_request=world.request, user=world.users["owner"])
    admin = world.users["admin"]

    outcomes = outcomes_of(
        [
            lambda: clearances.clearance_grant(clearance=clearance, user=admin, note="Sin fuente"),
            lambda: clearances.clearance_refuse(clearance=clearance, user=admin, note="Falta una cotización"),
        ]
    )

    assert outcomes == Counter(done=1, refused=1)
    clearance.refresh_from_db()
    world.request.refresh_from_db()
    expected_request_status = {
        Clearance.Status.GRANTED: PartRequest.Status.CLEARED,
        Clearance.Status.REFUSED: PartRequest.Status.OPEN,
    }[clearance.status]
    assert world.request.status == expected_request_status
