import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from exchange import services
from exchange.errors import TransitionNotAllowed
from exchange.models import PartRequest, RequestPhoto
from tests.factories import MembershipFactory, PlantFactory, image_upload


@pytest.fixture
def part_request(db):
    return PartRequest.objects.create(plant=PlantFactory(), description="Impulsor de bomba gastado", quantity=1)


@pytest.fixture
def member(part_request):
    return MembershipFactory(plant=part_request.plant).user


def add(part_request, user, *files):
    return services.part_request_photos_add(part_request=part_request, user=user, image_files=files)


def phone_exif(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (10.0, 9.0, 36.0)
    return exif


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_photo_is_stored_with_a_thumbnail_in_the_storage(part_request, member, media_root, image_format):
    photo = services.part_request_photo_add(
        part_request=part_request, user=member, image_file=image_upload(image_format=image_format, size=(2400, 1200))
    )

    assert photo.image.name.startswith(f"requests/{part_request.pk}/")
    assert (media_root / photo.image.name).is_file() and (media_root / photo.thumbnail.name).is_file()
    with Image.open(photo.image) as image:
        assert (image.format, image.size) == ("JPEG", (1600, 800))
    with Image.open(photo.thumbnail) as thumbnail:
        assert thumbnail.size == (320, 160)
    assert (photo.width, photo.height, photo.uploaded_by) == (1600, 800, member)
    assert list(part_request.photos.all()) == [photo]


def test_a_transparent_png_is_flattened_on_white(part_request, member, media_root):
    photo = services.part_request_photo_add(
        part_request=part_request, user=member, image_file=image_upload(image_format="PNG", mode="RGBA")
    )

    with Image.open(photo.image) as image:
        assert image.mode == "RGB"


def test_the_gps_position_is_stripped_and_the_photo_turned_upright(part_request, member, media_root):
    # given a phone photo held sideways: stored 200 x 100 with "rotate 90°" in its EXIF, and a GPS position
    upload = image_upload(size=(200, 100), exif=phone_exif(orientation=6))

    photo = services.part_request_photo_add(part_request=part_request, user=member, image_file=upload)

    for stored in (photo.image, photo.thumbnail):
        stored.open("rb")
        data = stored.read()
        stored.close()
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
            assert image.size[0] < image.size[1]
        assert b"Exif" not in data and b"Phone" not in data


def test_a_text_file_named_jpg_is_refused(part_request, member, media_root):
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all\n" * 20, content_type="image/jpeg")

    with pytest.raises(ValidationError) as error:
        add(part_request, member, fake)

    assert "photos" in error.value.message_dict
    assert not RequestPhoto.objects.exists()


def test_another_format_is_refused_even_if_it_is_an_image(part_request, member, media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")

    with pytest.raises(ValidationError, match="JPEG, PNG"):
        add(part_request, member, SimpleUploadedFile("photo.jpg", buffer.getvalue()))


def test_a_truncated_photo_is_refused(part_request, member, media_root):
    whole = image_upload(size=(400, 300)).read()

    with pytest.raises(ValidationError):
        add(part_request, member, SimpleUploadedFile("photo.jpg", whole[: len(whole) // 2]))


def test_a_photo_over_the_size_limit_is_refused(part_request, member, media_root, settings):
    settings.REQUEST_PHOTO_MAX_BYTES = 1_048_576
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * 1_048_576)

    with pytest.raises(ValidationError, match="1 MB"):
        add(part_request, member, upload)


def test_a_canvas_with_too_many_pixels_is_refused_before_it_is_decoded(part_request, member, media_root, settings):
    settings.REQUEST_PHOTO_MAX_PIXELS = 100 * 100

    with pytest.raises(ValidationError, match="pixels"):
        add(part_request, member, image_upload(image_format="PNG", size=(101, 100)))


def test_no_more_than_the_limit_of_photos_per_request(part_request, member, media_root, settings):
    settings.REQUEST_PHOTO_MAX_COUNT = 2
    add(part_request, member, image_upload())

    with pytest.raises(ValidationError, match="at most 2 photos"):
        add(part_request, member, image_upload(), image_upload())

    add(part_request, member, image_upload())
    assert part_request.photos.count() == 2


def test_a_refused_file_among_several_adds_none_and_leaves_no_file(part_request, member, media_root):
    with pytest.raises(ValidationError):
        add(part_request, member, image_upload(), SimpleUploadedFile("x.jpg", b"nope"))

    assert not RequestPhoto.objects.exists()
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))


def test_only_the_requesting_plants_members_add_photos(part_request, media_root):
    outsider = MembershipFactory().user

    with pytest.raises(PermissionDenied):
        add(part_request, outsider, image_upload())


def test_a_closed_request_takes_no_photos(part_request, member, media_root):
    PartRequest.objects.filter(pk=part_request.pk).update(status=PartRequest.Status.CANCELLED)
    part_request.refresh_from_db()

    with pytest.raises(TransitionNotAllowed):
        add(part_request, member, image_upload())


def test_a_12_megapixel_photo_is_prepared_within_the_request(part_request, member, media_root):
    # bench/photos.py measures how long this takes.
    add(part_request, member, image_upload(size=(4000, 3000)))

    photo = RequestPhoto.objects.get(request=part_request)
    with Image.open(photo.image) as image, Image.open(photo.thumbnail) as thumbnail:
        assert image.size == (1600, 1200)
        assert max(thumbnail.size) == 320
