"""The printed matter of paper households and the start kit, as PDF (fpdf2).

The fonts ship with the code (``fonts/``, DejaVu Sans under its Bitstream Vera licence):
names such as Åsa Ölund or Zoë Nowak print the same on every server, whatever fonts
it has. Letters use 14 pt and more, for readers who see poorly.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from notifications.alerts.models import Alert
from watch.paper.models import PaperHousehold

FONTS = Path(__file__).resolve().parent / "fonts"
# fontTools reports every table it subsets at INFO: dozens of lines per PDF in the logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)
# In millimetres: fpdf2 warns at every use of the name "A5" (its size changed in 2.8.5).
A5 = (148.0, 210.0)
FAMILY = "DejaVu"
# A4 sheets of 3 by 8 labels of 70 by 37 mm, edge to edge (the common Swedish size).
LABEL_COLUMNS, LABEL_ROWS = 3, 8
LABEL_WIDTH, LABEL_HEIGHT = 70.0, 37.0


def _document(page_format: str | tuple[float, float]) -> FPDF:
    pdf = FPDF(format=page_format)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_creator(settings.SITE_NAME)
    return pdf


def _text(pdf: FPDF, text: str, size: float, *, bold: bool = False, gap: float = 3) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _emergency_notice() -> str:
    return _(
        "This is not an emergency service. In an emergency, call 112. For non-urgent "
        "police matters, call 114 14."
    )


def _output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def letters(alert: Alert, households: Sequence[PaperHousehold], area_name: str) -> bytes:
    """One A5 letter per household: its address, the alert as members read it, who sent
    it and when, and where to call in an emergency."""
    pdf = _document(A5)
    pdf.set_margins(14, 14, 14)
    pdf.set_auto_page_break(True, margin=14)
    sent = timezone.localtime(alert.dispatched_at or alert.created_at)
    when = formats.date_format(sent, "DATETIME_FORMAT")
    for paper in households:
        pdf.add_page()
        household = paper.household
        _text(
            pdf,
            f"{paper.names}\n{household.street_address}\n{household.postal_code} {household.town}",
            14,
            gap=8,
        )
        _text(pdf, _("Neighbourhood watch in %(area)s") % {"area": area_name}, 14)
        _text(pdf, alert.title, 20, bold=True)
        _text(pdf, " · ".join(filter(None, [alert.sender_line(), when])), 14, gap=6)
        _text(pdf, alert.body, 14, gap=8)
        _text(pdf, _emergency_notice(), 14, bold=True)
    return _output(pdf)


def labels(households: Sequence[PaperHousehold]) -> bytes:
    """Address labels for the households, in the letters' order."""
    pdf = _document("A4")
    pdf.set_auto_page_break(False)
    pdf.set_font(FAMILY, "", 11)
    top = (297 - LABEL_ROWS * LABEL_HEIGHT) / 2
    left = (210 - LABEL_COLUMNS * LABEL_WIDTH) / 2
    per_page = LABEL_COLUMNS * LABEL_ROWS
    for index, paper in enumerate(households):
        if index % per_page == 0:
            pdf.add_page()
        row, column = divmod(index % per_page, LABEL_COLUMNS)
        household = paper.household
        lines = [paper.names, household.street_address, f"{household.postal_code} {household.town}"]
        x, y = left + column * LABEL_WIDTH + 5, top + row * LABEL_HEIGHT + 8
        for number, line in enumerate(lines):
            pdf.set_xy(x, y + number * 6)
            pdf.cell(LABEL_WIDTH - 10, 6, _fit(pdf, line, LABEL_WIDTH - 10))
    return _output(pdf)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` on one line of ``width`` mm, cut with an ellipsis if it is longer: a long
    name must not run into the next label."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(f"{text}…") > width:
        text = text[:-1]
    return f"{text.rstrip()}…"


@dataclass(frozen=True)
class Invitation:
    heading: str  # "Neighbourhood watch in Marieholm"
    starts: str  # the meeting's time, as the reader reads it
    place: str
    contact: str
    link: str  # where the QR code leads


def invitation(details: Invitation) -> bytes:
    """An A4 invitation to the start meeting for every letterbox, with a QR code."""
    pdf = _document("A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    _text(pdf, _("Invitation to a start meeting"), 16)
    _text(pdf, details.heading, 26, bold=True, gap=6)
    _text(
        pdf,
        _(
            "Neighbours who look out for each other's homes make burglary harder. Come to "
            "the start meeting: the police tell how neighbourhood watch works and what we "
            "can do together."
        ),
        14,
        gap=6,
    )
    _text(pdf, _("When: %(when)s") % {"when": details.starts}, 16, bold=True)
    _text(pdf, _("Where: %(place)s") % {"place": details.place}, 16, bold=True, gap=6)
    _text(pdf, _("Welcome! %(name)s, area contact") % {"name": details.contact}, 14, gap=8)
    image = io.BytesIO()
    segno.make(details.link, error="m").save(image, kind="png", scale=10, border=4)
    image.seek(0)
    pdf.image(image, x=20, w=55)
    pdf.ln(3)
    _text(pdf, _("Scan the code to join, or go to:"), 14, gap=1)
    _text(pdf, details.link, 12, gap=8)
    _text(pdf, _emergency_notice(), 12)
    return _output(pdf)
