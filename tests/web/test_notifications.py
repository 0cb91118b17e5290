"""/notifications/ and the home page's new notices: the acting plant's, unread first, opened and read by POST."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchange.models import Notification, PartRequest
from tests.factories import NotificationFactory

from .conftest import signed_in


@pytest.fixture
def shortage(plant):
    return PartRequest.objects.create(plant=plant, description="Bomba centrífuga", quantity=1)


def notice(user, plant, part_request, **fields):
    return NotificationFactory(user=user, plant=plant, request=part_request, **fields)


def test_the_page_lists_the_acting_plants_notices_unread_first(member_client, member, plant, shortage):
    read = notice(member, plant, shortage, read_at=timezone.now())
    unread = notice(member, plant, shortage)

    page = member_client.get("/notifications/").content.decode()

    assert page.index(f"/notifications/{unread.pk}/open/") < page.index(f"/notifications/{read.pk}/open/")
    assert "Nuevo:" in page
    assert 'action="/notifications/read-all/"' in page


def test_another_users_or_another_plants_notices_are_not_shown(
    several_client, several_member, plant, other_plant, shortage, other_member
):
    theirs = notice(other_member, plant, shortage)
    for_the_other_plant = notice(several_member, other_plant, shortage)
    several_client.post("/plant/", {"plant": plant.pk})

    page = several_client.get("/notifications/").content.decode()

    assert f"/notifications/{theirs.pk}/open/" not in page
    assert f"/notifications/{for_the_other_plant.pk}/open/" not in page


def test_opening_a_notice_marks_it_read_and_goes_to_what_it_speaks_of(member_client, member, plant, shortage):
    unread = notice(member, plant, shortage)

    response = member_client.post(f"/notifications/{unread.pk}/open/")

    assert response.status_code == 302 and response["Location"] == f"/requests/{shortage.pk}/"
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_a_get_never_marks_a_notice_read(member_client, member, plant, shortage):
    unread = notice(member, plant, shortage)

    assert member_client.get(f"/notifications/{unread.pk}/open/").status_code == 405
    unread.refresh_from_db()
    assert unread.read_at is None


def test_someone_elses_notice_cannot_be_opened(member, plant, shortage, other_member):
    theirs = notice(other_member, plant, shortage)

    assert signed_in(member).post(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_reads_only_the_acting_plants(member_client, member, plant, shortage):
    notices = [notice(member, plant, shortage) for _ in range(3)]

    response = member_client.post("/notifications/read-all/")

    assert response.status_code == 302
    assert Notification.objects.filter(pk__in=[n.pk for n in notices], read_at__isnull=True).count() == 0
    assert "Todos los avisos quedaron leídos" in member_client.get("/notifications/").content.decode()


def test_the_home_page_shows_unread_notices_only(member_client, member, plant, shortage):
    unread = notice(member, plant, shortage)
    read = notice(member, plant, shortage, read_at=timezone.now())

    page = member_client.get("/").content.decode()

    assert f"/notifications/{unread.pk}/open/" in page
    assert f"/notifications/{read.pk}/open/" not in page
    assert 'href="/notifications/"' in page


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_page_takes_the_same_queries_for_5_and_40_notices(
    member_client, member, plant, shortage, django_assert_max_num_queries
):
    for _ in range(5):
        notice(member, plant, shortage)
    with django_assert_max_num_queries(8) as few:
        member_client.get("/notifications/")
    for _ in range(35):
        notice(member, plant, shortage)
    with django_assert_max_num_queries(len(few.captured_queries)):
        member_client.get("/notifications/")


@pytest.mark.parametrize("path", ["/", "/notifications/"])
def test_notices_of_matches_name_their_source_with_no_query_each(path, member_client, member, plant, other_plant):
    from tests.factories import MatchFactory

    match = MatchFactory(request__plant=plant, source_plant=other_plant)
    quoted = f"{other_plant.name} cotizó la propuesta #{match.pk}"
    for _ in range(5):
        notice(member, plant, match.request, kind=Notification.Kind.QUOTED, match=match)
    with CaptureQueriesContext(connection) as few:
        assert member_client.get(path).content.decode().count(quoted) == 5
    for _ in range(35):
        notice(member, plant, match.request, kind=Notification.Kind.QUOTED, match=match)

    with CaptureQueriesContext(connection) as many:
        member_client.get(path)

    assert len(many.captured_queries) == len(few.captured_queries)
