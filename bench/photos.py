"""How long a photo of a worn part takes to prepare (exchange.photos.photo_prepare), the worst phone photos first.

Makes 12-megapixel images of pure noise (nothing for the encoder to compress: the largest files a phone
could send under the size limit), as JPEG and as WebP, then prepares each ``--rounds`` times in this process and prints the median and
the slowest. The request waits for it (exchange/photos.py says why), so this is the time a photo adds to
its upload.

    .venv/bin/python bench/photos.py
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def noise_photo(image_format: str, size=(4000, 3000)):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, image_format)
    return SimpleUploadedFile(f"photo.{image_format.lower()}", buffer.getvalue())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from exchange.photos import photo_prepare

    print(f"load average {os.getloadavg()[0]:.1f}")
    for image_format in ("JPEG", "WEBP"):
        photo = noise_photo(image_format)
        timings = []
        for _ in range(arguments.rounds):
            started = time.perf_counter()
            prepared = photo_prepare(photo)
            timings.append(time.perf_counter() - started)
        print(
            f"{image_format:5} 4000×3000 noise, {photo.size / 1_048_576:.1f} MB → {prepared.width}×{prepared.height}: "
            f"median {statistics.median(timings):.2f} s, slowest {max(timings):.2f} s"
        )


if __name__ == "__main__":
    main()
