"""Photos members upload (observations, replies to alerts): checked by content, re-encoded,
stripped of metadata.

A photo is personal data twice over: it may show people, and a phone's EXIF block
says where (GPS) and with what it was taken. Every accepted photo is decoded and
written anew by Pillow, so nothing of the upload survives but the pixels — no EXIF,
no XMP, no comments, no trailing bytes — and the GPS position only if the member
asked to keep it.

The type is what Pillow finds in the bytes (JPEG, PNG or WebP), never the file name
or the browser's content type. Size is checked twice before anything is decoded: the
file (``OBSERVATION_PHOTO_MAX_BYTES``) and the image's width times height from its header
(``OBSERVATION_PHOTO_MAX_PIXELS``), so a decompression bomb is refused unread.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, UnidentifiedImageError

# Pillow format name -> (file extension, content type, modes it can write as is).
FORMATS: dict[str, tuple[str, str, frozenset[str]]] = {
    "JPEG": ("jpg", "image/jpeg", frozenset({"RGB", "L", "CMYK"})),
    "PNG": ("png", "image/png", frozenset({"RGB", "RGBA", "L", "LA", "P", "1", "I", "I;16"})),
    "WEBP": ("webp", "image/webp", frozenset({"RGB", "RGBA"})),
}
CONTENT_TYPES = {extension: content_type for extension, content_type, _modes in FORMATS.values()}
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    extension: str
    content_type: str


def max_bytes() -> int:
    return int(settings.OBSERVATION_PHOTO_MAX_BYTES)


def clean_photo(upload: IO[bytes], *, size: int, keep_location: bool) -> CleanPhoto:
    """The upload re-encoded without metadata, or a ValidationError saying what is wrong."""
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("The photo is too large: at most %(size)s.") % {"size": filesizeformat(limit)}
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; ours is lower anyway.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(FORMATS)) as image:
                _check_pixels(image)
                image.load()
                return _reencode(image, keep_location=keep_location)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        # Truncated, corrupt, another format, or a lying header: all the same to the member.
        raise ValidationError(_("Upload a photo in JPEG, PNG or WebP format.")) from None


def _check_pixels(image: Image.Image) -> None:
    max_pixels: int = settings.OBSERVATION_PHOTO_MAX_PIXELS
    if image.width * image.height > max_pixels:
        raise ValidationError(
            _("The photo has too many pixels: at most %(megapixels)d megapixels.")
            % {"megapixels": max(1, max_pixels // 1_000_000)}
        )


# The turn that shows a picture upright, for each EXIF orientation but 1 (upright).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _location_exif(source: Image.Exif) -> bytes | None:
    """An EXIF block of the photo's GPS position alone, or None if it has none or Pillow
    cannot write the one it has (a corrupt value): the photo is kept without it."""
    gps = source.get_ifd(ExifTags.IFD.GPSInfo)
    if not gps:
        return None
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = dict(gps)
    try:
        return exif.tobytes()
    except (TypeError, ValueError, struct.error):
        return None


def _reencode(image: Image.Image, *, keep_location: bool) -> CleanPhoto:
    # Pillow names a phone's multi-picture JPEG (depth map or preview after the photo)
    # MPO; saved as JPEG, only the first picture, the photo itself, is kept.
    image_format = "JPEG" if image.format == "MPO" else str(image.format)
    extension, content_type, modes = FORMATS[image_format]
    source_exif = image.getexif()
    location = _location_exif(source_exif) if keep_location else None
    icc_profile = image.info.get("icc_profile")
    # The orientation tag goes with the rest of the EXIF block: turn the pixels instead.
    # ImageOps.exif_transpose would also write the block anew, which fails for a block
    # Pillow could read but cannot write (a fault the photo's pixels do not share).
    orientation = source_exif.get(ExifTags.Base.Orientation)
    turn = _UPRIGHT.get(orientation) if isinstance(orientation, int) else None
    upright = image.transpose(turn) if turn is not None else image.copy()
    if upright.mode not in modes:
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
        if image_format == "JPEG" and upright.mode == "RGBA":
            upright = upright.convert("RGB")
    # Pillow writes some of the decoded ``info`` back out (a JPEG's COM comment, which
    # cameras and editors fill with names): keep only what the pixels need.
    upright.info = {key: value for key, value in upright.info.items() if key == "transparency"}
    options: dict[str, object] = {}
    if location:
        options["exif"] = location
    if icc_profile:
        options["icc_profile"] = icc_profile
    if image_format == "JPEG":
        options["quality"] = JPEG_QUALITY
    output = io.BytesIO()
    upright.save(output, format=image_format, **options)
    return CleanPhoto(content=output.getvalue(), extension=extension, content_type=content_type)
