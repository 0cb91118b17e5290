import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange.models import PartRequest, RequestPhoto
from tests.conftest import client_for
from tests.factories import MembershipFactory, PartFactory, PlantFactory, image_upload


@pytest.fixture
def part_request(db):
    return PartRequest.objects.create(plant=PlantFactory(), description="Impulsor gastado", quantity=1)


@pytest.fixture
def member(part_request):
    return MembershipFactory(plant=part_request.plant).user


def url(part_request):
    return f"/api/requests/{part_request.pk}/photos/"


def test_a_member_adds_several_photos_and_the_request_shows_them(part_request, member, media_root):
    client = client_for(member)

    response = client.post(url(part_request), {"photos": [image_upload(), image_upload()]}, format="multipart")

    assert response.status_code == 201, response.content
    photos = response.json()["photos"]
    assert len(photos) == 2
    assert photos[0]["image"].startswith(f"http://testserver/media/requests/{part_request.pk}/")
    assert photos[0]["thumbnail"].endswith("-thumb.jpg")
    shown = client.get(f"/api/requests/{part_request.pk}/").json()["photos"]
    assert [photo["id"] for photo in shown] == [photo["id"] for photo in photos]


def test_a_single_image_field_is_accepted(part_request, member, media_root):
    response = client_for(member).post(url(part_request), {"image": image_upload()}, format="multipart")

    assert response.status_code == 201
    assert len(response.json()["photos"]) == 1


def test_a_bad_file_is_a_400_naming_photos_in_spanish(part_request, member, media_root):
    fake = SimpleUploadedFile("photo.jpg", b"hello", content_type="image/jpeg")

    response = client_for(member).post(
        url(part_request), {"photos": [fake]}, format="multipart", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 400
    assert "JPEG, PNG o WebP" in response.json()["photos"][0]


def test_no_file_is_a_400_naming_photos(part_request, member, media_root):
    response = client_for(member).post(url(part_request), {}, format="multipart")

    assert response.status_code == 400
    assert "photos" in response.json()


def test_another_plant_sees_the_open_request_but_may_not_add_photos(part_request, media_root):
    outsider = MembershipFactory().user

    response = client_for(outsider).post(url(part_request), {"photos": [image_upload()]}, format="multipart")

    assert response.status_code == 403
    assert not RequestPhoto.objects.exists()


def test_a_closed_request_of_another_plant_is_not_found(part_request, media_root):
    PartRequest.objects.filter(pk=part_request.pk).update(status=PartRequest.Status.CANCELLED)

    response = client_for(MembershipFactory().user).post(
        url(part_request), {"photos": [image_upload()]}, format="multipart"
    )

    assert response.status_code == 404


def test_photos_come_with_a_new_request_in_one_multipart_post(member, part_request, media_root):
    part = PartFactory()
    data = {"plant": part_request.plant_id, "part": part.pk, "quantity": 2, "photos": [image_upload()]}

    response = client_for(member).post("/api/requests/", data, format="multipart")

    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 1
    assert PartRequest.objects.get(pk=response.json()["id"]).photos.count() == 1


def test_a_new_request_with_a_refused_photo_is_not_posted(member, part_request, media_root):
    data = {
        "plant": part_request.plant_id,
        "description": "Eje",
        "quantity": 1,
        "photos": [SimpleUploadedFile("a.jpg", b"x")],
    }

    response = client_for(member).post("/api/requests/", data, format="multipart")

    assert response.status_code == 400
    assert "photos" in response.json()
    assert PartRequest.objects.count() == 1
