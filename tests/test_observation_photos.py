"""Observation photos: type by content, size and pixel limits, metadata stripped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image

from config.photos import clean_photo
from tests.photos import camera_exif, photo_bytes


def clean(content: bytes, *, keep_location: bool = False):
    return clean_photo(io.BytesIO(content), size=len(content), keep_location=keep_location)


def read(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


@pytest.mark.parametrize(
    ("image_format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
)
def test_every_metadata_is_removed_by_default(image_format, extension):
    original = photo_bytes(image_format)
    assert read(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's premise

    photo = clean(original)

    image = read(photo.content)
    assert image.format == image_format
    assert photo.extension == extension
    assert dict(image.getexif()) == {}
    assert b"Fotograf AB" not in photo.content
    assert b"Anna Areamedlem" not in photo.content


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_ticking_keep_location_keeps_the_gps_position_and_nothing_else(image_format):
    photo = clean(photo_bytes(image_format), keep_location=True)

    exif = read(photo.content).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (58.0, 42.0, 36.0)
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLongitudeRef] == "E"
    assert ExifTags.Base.Make not in exif
    assert b"Anna Areamedlem" not in photo.content


@pytest.mark.parametrize("keep_location", [False, True])
def test_a_jpeg_comment_is_removed(keep_location):
    # Pillow writes a decoded JPEG's COM segment back out unless told otherwise.
    original = photo_bytes("JPEG", comment=b"Anna Areamedlem, Storgatan 1")
    assert read(original).info["comment"]  # the test's premise

    photo = clean(original, keep_location=keep_location)

    assert "comment" not in read(photo.content).info
    assert b"Storgatan" not in photo.content


def test_the_orientation_is_applied_to_the_pixels_before_the_tag_goes():
    # Orientation 6: the camera was turned; a viewer rotates the 64x48 image upright.
    photo = clean(photo_bytes("JPEG", size=(64, 48), orientation=6))

    assert read(photo.content).size == (48, 64)


def test_trailing_bytes_after_the_image_are_dropped():
    hidden = photo_bytes("JPEG") + b"<?php system($_GET['c']); ?>"

    assert b"<?php" not in clean(hidden).content


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",  # a real GIF: a format we do not take
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.4 not an image",
        b"",
        photo_bytes("JPEG")[:200],  # truncated
    ],
    ids=["gif", "svg", "pdf", "empty", "truncated"],
)
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused(content):
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        clean(content)


def test_a_phones_multi_picture_jpeg_becomes_a_plain_jpeg():
    # Some phone cameras write MPO: a JPEG with further images (depth, preview) after it.
    output = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(
        output,
        format="MPO",
        save_all=True,
        append_images=[Image.new("RGB", (64, 48), "blue")],
        exif=camera_exif(),
    )

    photo = clean(output.getvalue())

    image = read(photo.content)
    assert (photo.extension, image.format, image.size) == ("jpg", "JPEG", (64, 48))
    assert photo.content.count(b"\xff\xd8") == 1  # one image, the first
    assert dict(image.getexif()) == {}
    assert b"Anna Areamedlem" not in photo.content


def test_the_type_comes_from_the_content_not_the_name():
    # A BMP by any name is still a BMP.
    output = io.BytesIO()
    Image.new("RGB", (8, 8)).save(output, format="BMP")

    with pytest.raises(ValidationError):
        clean_photo(io.BytesIO(output.getvalue()), size=len(output.getvalue()), keep_location=False)


def test_a_file_over_the_size_limit_is_refused_unread(settings):
    settings.OBSERVATION_PHOTO_MAX_BYTES = 1024

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read")

    with pytest.raises(ValidationError, match="too large"):
        clean_photo(Unreadable(), size=1025, keep_location=False)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(settings):
    # A small file whose header promises a huge bitmap.
    settings.OBSERVATION_PHOTO_MAX_PIXELS = 1_000_000
    output = io.BytesIO()
    Image.new("L", (2000, 2000)).save(output, format="PNG", optimize=True)
    content = output.getvalue()
    assert len(content) < 20_000

    with pytest.raises(ValidationError, match="too many pixels"):
        clean(content)


def test_pillows_own_bomb_check_is_an_error_too(settings, monkeypatch):
    settings.OBSERVATION_PHOTO_MAX_PIXELS = 10**12
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    with pytest.raises(ValidationError):
        clean(photo_bytes("PNG", size=(40, 40)))


# A camera's EXIF block that Pillow reads but cannot write back (bytes where a number
# belongs, a wrong count): made by changing bytes of one, as an outside test did.
CORRUPT_EXIF = sorted((Path(__file__).parent / "data" / "photos").glob("exif-*"))


@pytest.mark.parametrize("path", CORRUPT_EXIF, ids=lambda path: path.name)
@pytest.mark.parametrize("keep_location", [False, True])
def test_a_photo_with_an_exif_block_that_cannot_be_written_is_kept_without_it(path, keep_location):
    original = path.read_bytes()

    photo = clean(original, keep_location=keep_location)

    image = read(photo.content)
    assert image.size == (8, 8)
    assert set(image.getexif()) <= {ExifTags.IFD.GPSInfo}


def test_a_location_that_cannot_be_written_is_left_out_and_the_photo_kept():
    [webp] = [path for path in CORRUPT_EXIF if path.suffix == ".webp"]
    assert read(webp.read_bytes()).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the premise

    photo = clean(webp.read_bytes(), keep_location=True)

    assert dict(read(photo.content).getexif()) == {}
