"""Load the municipalities' borders from a GeoJSON file of official data.

Lantmäteriet and Statistics Sweden publish the borders of every municipality as open
data; saved as GeoJSON in WGS 84 (EPSG:4326), each feature carries the municipality's
four-digit code in a property (``kommunkod`` unless told otherwise). Features for
municipalities this site does not have are skipped; the borders are simplified for
display (they are a background, not a legal boundary).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from watch.areas.models import Municipality
from watch.areas.outlines import outline_of


class Command(BaseCommand):
    help = "Load municipality borders (GeoJSON, WGS 84) keyed by their four-digit code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a GeoJSON FeatureCollection")
        parser.add_argument(
            "--code-property", default="kommunkod", help="the property holding the code"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(options["path"].read_text(encoding="utf-8"))
            features = data["features"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            message = f"{options['path']} is not a GeoJSON FeatureCollection: {error}"
            raise CommandError(message) from error
        by_code = {m.code: m for m in Municipality.objects.all()}
        loaded = []
        # All or nothing: a file that fails half-way leaves the borders as they were.
        with transaction.atomic():
            for feature in features:
                if not isinstance(feature, dict):
                    continue
                code = str((feature.get("properties") or {}).get(options["code_property"], ""))
                municipality = by_code.get(code.zfill(4))
                if municipality is None:
                    continue
                try:
                    municipality.boundary = outline_of(
                        feature.get("geometry"), name=municipality.name
                    )
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages)) from error
                municipality.save(update_fields=["boundary"])
                loaded.append(municipality.name)
        missing = sorted(set(m.name for m in by_code.values()) - set(loaded))
        self.stdout.write(f"Loaded the borders of {len(loaded)} municipalities.")
        if missing:
            self.stdout.write(f"No border in the file for: {', '.join(missing)}.")
