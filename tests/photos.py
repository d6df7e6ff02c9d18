"""Photos as a phone writes them (EXIF with the camera, its owner and a GPS position)."""

from __future__ import annotations

import io

from PIL import ExifTags, Image

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (58.0, 42.0, 36.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (13.0, 49.0, 12.0),
}


def camera_exif(orientation: int = 1) -> bytes:
    """A camera's EXIF block: make, owner, GPS position, orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Fotograf AB"
    exif[ExifTags.Base.Artist] = "Anna Areamedlem"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = GPS
    return exif.tobytes()


def photo_bytes(image_format: str = "JPEG", size: tuple[int, int] = (64, 48), **info) -> bytes:
    image = Image.new("RGB", size, "red")
    output = io.BytesIO()
    image.save(output, format=image_format, exif=camera_exif(info.pop("orientation", 1)), **info)
    return output.getvalue()
