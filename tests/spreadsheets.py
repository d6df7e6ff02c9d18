"""Reading a CSV download as a spreadsheet program would."""

from __future__ import annotations

import csv
import io


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
