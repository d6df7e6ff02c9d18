"""CSV downloads that open safely in Excel and LibreOffice.

Every cell goes through ``csv_safe``: a name, description or header that starts
like a formula (``=HYPERLINK(...)``) is kept as text, so an export can never run
a formula on the official's machine (CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse


def csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection): '=HYPERLINK(...)' stays text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(
    *, filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """An attachment with a BOM (Excel needs it to read UTF-8: åäö) and safe cells."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_safe(cell) for cell in header])
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return response
