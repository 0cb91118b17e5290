import pytest
from django.utils import timezone

from exchange.models import Match, Notification, PartRequest
from tests.conftest import client_for
from tests.factories import MembershipFactory, NotificationFactory, PlantFactory, stock_item

URL = "/api/notifications/"


@pytest.fixture
def reader(db):
    return MembershipFactory(plant=PlantFactory(name="Maquinarias Barinas")).user


@pytest.fixture
def plant(reader):
    return reader.memberships.get().plant


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_a_user_lists_their_own_newest_first(reader, plant):
    older = NotificationFactory(user=reader, plant=plant)
    newer = NotificationFactory(user=reader, plant=plant, read_at=timezone.now())
    NotificationFactory(plant=plant)

    response = client_for(reader).get(URL)

    assert ids(response) == [newer.pk, older.pk]
    item = response.json()["results"][1]
    assert set(item) == {"id", "kind", "plant", "request", "match", "text", "read_at", "at"}
    assert (item["kind"], item["plant"], item["request"], item["read_at"]) == (
        "expired",
        plant.pk,
        older.request_id,
        None,
    )


def test_unread_filter(reader, plant):
    unread = NotificationFactory(user=reader, plant=plant)
    NotificationFactory(user=reader, plant=plant, read_at=timezone.now())

    assert ids(client_for(reader).get(URL, {"unread": "true"})) == [unread.pk]


def test_anothers_notification_is_not_found(reader, plant):
    theirs = NotificationFactory(plant=plant)
    client = client_for(reader)

    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_refused(db):
    assert client_for(None).get(URL).status_code == 401


def test_marking_one_read(reader, plant):
    notification = NotificationFactory(user=reader, plant=plant)

    response = client_for(reader).post(f"{URL}{notification.pk}/read/")

    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_marking_all_read_for_one_plant(reader, plant):
    NotificationFactory(user=reader, plant=plant)
    other = NotificationFactory(user=reader)
    theirs = NotificationFactory(plant=plant)
    client = client_for(reader)

    assert client.post(f"{URL}read-all/", {"plant": plant.pk}, format="json").json() == {"marked": 1}
    assert client.post(f"{URL}read-all/").json() == {"marked": 1}
    assert Notification.objects.get(pk=other.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "CVG Carbonorca quoted match #{match} for request #{request} (Bomba)."),
        ("es", "CVG Carbonorca cotizó la propuesta #{match} para la solicitud #{request} (Bomba)."),
    ],
)
def test_the_text_speaks_the_readers_language(reader, plant, language, text):
    part_request = PartRequest.objects.create(plant=plant, description="Bomba", quantity=1)
    item = stock_item(plant=PlantFactory(name="CVG Carbonorca"), quantity=1)
    match = Match.objects.create(
        request=part_request, source="stock", stock_item=item, source_plant_id=item.plant_id, quantity=1
    )
    NotificationFactory(user=reader, plant=plant, request=part_request, match=match, kind=Notification.Kind.QUOTED)

    response = client_for(reader).get(URL, HTTP_ACCEPT_LANGUAGE=language)

    assert response.json()["results"][0]["text"] == text.format(match=match.pk, request=part_request.pk)


def test_the_list_costs_the_same_queries_for_5_or_40(reader, plant, django_assert_max_num_queries):
    part_request = PartRequest.objects.create(plant=plant, description="Bomba", quantity=1)
    item = stock_item(quantity=1)
    match = Match.objects.create(
        request=part_request, source="stock", stock_item=item, source_plant_id=item.plant_id, quantity=1
    )
    client = client_for(reader)
    for count in (5, 35):
        for _ in range(count):
            NotificationFactory(user=reader, plant=plant, request=part_request, match=match, kind="quoted")
        with django_assert_max_num_queries(1):
            assert len(ids(client.get(URL))) == min(count if count == 5 else 40, 50)
