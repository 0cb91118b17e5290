"""Photos of a worn part: checked by their content, turned upright, re-encoded without metadata.

A phone's photo carries EXIF (the GPS position of the plant, the phone's
serial) and weighs several megabytes; what is stored is a JPEG of at most
DISPLAY_SIDE pixels a side and a thumbnail, rebuilt from the pixels alone.
bench/photos.py measures a 12-megapixel photo of pure noise (the worst
case): 0.34 s for a 6.9 MB JPEG (a JPEG is decoded straight at half scale),
0.88 s for a 7.9 MB WebP, which cannot be (one core, quiet machine). Uploading the file over a plant's connection
takes far longer, so it runs in the request, not in a task, and the page
can show the photo as soon as it answers.
"""

import io
import warnings
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
DISPLAY_SIDE = 1600
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 80


class PreparedPhoto(NamedTuple):
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _refuse(message):
    raise ValidationError({"photos": [message]})


def photo_prepare(image_file) -> PreparedPhoto:
    """The display image and thumbnail of an uploaded file; ValidationError on ``photos`` if it is refused."""
    max_bytes = settings.REQUEST_PHOTO_MAX_BYTES
    if image_file.size > max_bytes:
        _refuse(_("A photo may weigh at most %(megabytes)d MB.") % {"megabytes": max_bytes // 1_048_576})
    try:
        # A small file can declare a huge canvas: refuse it from its header, before decoding.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image_file.seek(0)
            with Image.open(image_file, formats=ACCEPTED_FORMATS) as probe:
                if probe.width * probe.height > settings.REQUEST_PHOTO_MAX_PIXELS:
                    _refuse(_("This photo has too many pixels; take it at a lower resolution."))
                probe.verify()
            # verify() leaves the image unusable: open it again to decode it.
            image_file.seek(0)
            with Image.open(image_file, formats=ACCEPTED_FORMATS) as original:
                original.draft("RGB", (DISPLAY_SIDE, DISPLAY_SIDE))
                original.load()
                icc_profile = original.info.get("icc_profile")
                upright = ImageOps.exif_transpose(original)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, SyntaxError):
        _refuse(_("Send a photo in JPEG, PNG or WebP format; this file is not one, or it is damaged."))
    display = _flattened(upright)
    display.thumbnail((DISPLAY_SIDE, DISPLAY_SIDE), Image.Resampling.LANCZOS)
    thumbnail = display.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return PreparedPhoto(
        image=_jpeg(display, icc_profile),
        thumbnail=_jpeg(thumbnail, icc_profile),
        width=display.width,
        height=display.height,
    )


def _flattened(image):
    # JPEG has no transparency: transparent parts show white, as on a page, not black.
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image, icc_profile) -> bytes:
    # Only the pixels and their colour profile are written: no EXIF, no XMP, no comment.
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc_profile)
    return buffer.getvalue()
