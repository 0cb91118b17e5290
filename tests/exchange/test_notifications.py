from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from exchange import engine, notifications, selectors, services, tasks
from exchange.models import Match, MatchStatusChange, Notification, PartRequest
from inventory.models import StockItem
from tests.factories import (
    MembershipFactory,
    NotificationFactory,
    PlantFactory,
    capability,
    stock_item,
)

K = Notification.Kind


@pytest.fixture
def world(make_world):
    world = make_world(units=10, quantity=3)
    # The engine's run on posting told the requesting plant of its first source
    # (tests/exchange/engine/test_run.py); these tests start from no notification.
    Notification.objects.all().delete()
    return world


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def names(*users):
    return {user.username for user in users}


def requesting_plant(world):
    """The requesting plant's members: its manager, a colleague and an administrator who is a member there."""
    return names(world.users["owner"], world.users["member"], world.users["admin_member"])


def quote(world):
    return services.match_quote(
        match=world.match, user=world.users["other"], price=Decimal("150"), currency="VES", lead_time_days=3
    )


def test_an_administrators_approval_tells_both_plants_and_not_the_administrator(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.match_approve(match=world.match, user=world.users["admin"])

    assert told(K.APPROVED) == requesting_plant(world) | names(world.users["other"])
    notification = Notification.objects.get(user=world.users["other"])
    assert (notification.plant, notification.request, notification.match) == (
        world.match.source_plant,
        world.request,
        world.match,
    )


def test_a_source_plants_quote_tells_the_requesting_plant_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        quote(world)

    assert told(K.QUOTED) == requesting_plant(world)
    assert {notification.plant_id for notification in Notification.objects.all()} == {world.request.plant_id}


def test_the_requesters_accept_tells_the_source_plant_only(world, django_capture_on_commit_callbacks):
    services.match_approve(match=world.match, user=world.users["admin"])
    quote(world)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.match_accept(match=world.match, user=world.users["owner"])

    assert told(K.ACCEPTED) == names(world.users["other"])


def test_a_rejection_tells_both_plants(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.match_reject(match=world.match, user=world.users["admin"], reason="Wrong bearing")

    assert told(K.REJECTED) == requesting_plant(world) | names(world.users["other"])
    assert any(f"#{world.match.pk} rejected" in message.subject for message in mail.outbox)


def test_a_requesters_decline_tells_the_source_and_not_the_bystander(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.match_decline(match=world.match, user=world.users["owner"], reason="distance", note="Too far")

    assert told(K.DECLINED) == names(world.users["other"])


def test_an_inactive_member_is_not_told(world, django_capture_on_commit_callbacks):
    world.users["member"].is_active = False
    world.users["member"].save()

    with django_capture_on_commit_callbacks(execute=True):
        quote(world)

    assert told(K.QUOTED) == requesting_plant(world) - names(world.users["member"])


def test_two_quotes_are_two_notifications_for_each_reader(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        quote(world)
        quote(world)

    assert Notification.objects.filter(user=world.users["owner"], kind=K.QUOTED).count() == 2


def test_the_task_run_again_for_the_same_event_writes_nothing_more(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        quote(world)
    history_id = MatchStatusChange.objects.filter(match=world.match).latest("id").pk
    arguments = (world.match.pk, "quoted", world.users["other"].pk, history_id)

    # given the after-commit enqueue ran once, then the worker's retry runs the same message
    callbacks[0]()
    tasks.notify_match_event(*arguments)

    assert Notification.objects.filter(kind=K.QUOTED).count() == len(requesting_plant(world))


def test_expiry_tells_the_requesting_plant(world, django_capture_on_commit_callbacks):
    PartRequest.objects.filter(pk=world.request.pk).update(needed_by=timezone.localdate() - timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.part_requests_expire() == 1
    tasks.notify_request_expired(world.request.pk)

    assert told(K.EXPIRED) == requesting_plant(world)
    assert Notification.objects.filter(kind=K.EXPIRED).count() == len(requesting_plant(world))


def test_an_open_request_is_not_told_it_expired(world):
    assert notifications.request_expired_notify(part_request_id=world.request.pk) == 0


def test_proposals_tell_the_requesting_plant_once_per_request_and_run(world):
    # given a second request of another plant, and two new sources for the first request in one run
    other_plant = PlantFactory()
    other_member = MembershipFactory(plant=other_plant).user
    other_request = PartRequest.objects.create(plant=other_plant, description="Eje", quantity=1)
    workshop = capability(process="turning")
    extra = Match.objects.create(
        request=world.request,
        source="fabrication",
        capability=workshop,
        source_plant_id=workshop.plant_id,
        quantity=3,
    )
    other_match = Match.objects.create(
        request=other_request, source="fabrication", capability=workshop, source_plant_id=workshop.plant_id, quantity=1
    )
    run = [world.match.pk, extra.pk, other_match.pk]

    assert notifications.proposals_notify(run) == 2
    assert notifications.proposals_notify(run) == 2

    assert told(K.PROPOSED) == requesting_plant(world) | names(other_member)
    mine = Notification.objects.get(user=world.users["owner"])
    assert (mine.request, mine.match, mine.details) == (world.request, None, {"count": 2})
    with translation.override("en"):
        assert mine.text.startswith(f"2 new sources found for request #{world.request.pk}")


def test_proposals_withdrawn_or_reviewed_before_the_task_runs_are_not_announced(world):
    # given: a second proposal, withdrawn by the engine once its stock leaves the exchange; the first one approved
    spare = stock_item(plant=world.shop, part=world.part, quantity=2)
    engine.part_request_match(part_request_id=world.request.pk)
    withdrawn = Match.objects.get(request=world.request, stock_item=spare)
    StockItem.objects.filter(pk=spare.pk).update(exchangeable=False)
    engine.part_request_match(part_request_id=world.request.pk)
    assert not Match.objects.filter(pk=withdrawn.pk).exists()
    services.match_approve(match=world.match, user=world.users["admin"])

    assert notifications.proposals_notify([world.match.pk, withdrawn.pk]) == 0
    assert not Notification.objects.filter(kind=K.PROPOSED).exists()


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "An administrator approved Lácteos Los Andes as a source for request #{request} (Rodamiento 6205)."),
        (
            "es",
            "Un administrador aprobó a Lácteos Los Andes como fuente para la solicitud #{request} (Rodamiento 6205).",
        ),
    ],
)
def test_the_text_is_written_in_the_readers_language(world, django_capture_on_commit_callbacks, language, expected):
    with django_capture_on_commit_callbacks(execute=True):
        services.match_approve(match=world.match, user=world.users["admin"])
    notification = Notification.objects.filter(user=world.users["owner"]).get()

    with translation.override(language):
        assert notification.text == expected.format(request=world.request.pk)


def test_every_kind_has_a_sentence(world):
    for kind in K:
        notification = Notification(
            user=world.users["owner"], plant=world.request.plant, kind=kind, request=world.request
        )
        if kind not in {K.PROPOSED, K.EXPIRED}:
            notification.match = world.match
        with translation.override("es"):
            assert f"#{world.request.pk}" in notification.text


# Reading


def test_unread_come_first_then_the_newest(world):
    user, plant = world.users["owner"], world.request.plant
    old_unread = NotificationFactory(user=user, plant=plant)
    read = NotificationFactory(user=user, plant=plant, read_at=timezone.now())
    new_unread = NotificationFactory(user=user, plant=plant)
    NotificationFactory(plant=plant)

    assert list(selectors.notifications_for(user)) == [new_unread, old_unread, read]
    assert list(selectors.notifications_for(user, limit=1)) == [new_unread]
    assert selectors.unread_notification_count(user) == 2
    assert selectors.unread_notification_count(user, plant_id=plant.pk + 1000) == 0


def test_a_page_of_notifications_renders_in_constant_queries(world, django_assert_num_queries):
    for _ in range(5):
        NotificationFactory(user=world.users["owner"], plant=world.request.plant, kind=K.QUOTED, match=world.match)

    with django_assert_num_queries(1):
        texts = [notification.text for notification in selectors.notifications_for(world.users["owner"])]
    assert len(texts) == 5


def test_marking_read_keeps_the_first_time_and_refuses_anothers(world):
    notification = NotificationFactory(user=world.users["owner"], plant=world.request.plant)

    first = services.notification_mark_read(notification=notification, user=world.users["owner"]).read_at
    again = services.notification_mark_read(notification=notification, user=world.users["owner"]).read_at

    assert first is not None and again == first
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(notification=notification, user=world.users["member"])


def test_mark_all_read_for_one_plant(world):
    user = world.users["owner"]
    here = NotificationFactory(user=user, plant=world.request.plant)
    elsewhere = NotificationFactory(user=user)
    NotificationFactory(plant=world.request.plant)

    assert services.notifications_mark_all_read(user=user, plant_id=world.request.plant_id) == 1
    here.refresh_from_db()
    elsewhere.refresh_from_db()
    assert here.read_at is not None and elsewhere.read_at is None
    assert services.notifications_mark_all_read(user=user) == 1
