"""The police's latest events in the three municipalities, as the importer would have
stored them (official.police_events): what the start and area pages show beside the
watch's own alerts. Invented events; each links to the police's real list of events."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import formats, timezone, translation

from official.police_events.models import PoliceEvent

if TYPE_CHECKING:
    from watch.demo.loader import Demo

EVENTS_PAGE = "https://polisen.se/aktuellt/handelser/"
# (hours ago, type, municipality's slug, summary)
EVENTS = (
    (2.5, "Inbrott", "mariestad", "Inbrott i villa i Ekudden under förmiddagen. Smycken stulna."),
    (
        6,
        "Trafikolycka",
        "toreboda",
        "Två bilar i kollision på riksväg 26, ingen allvarligt skadad.",
    ),
    (11, "Stöld", "gullspang", "Diesel stulen från en arbetsmaskin vid Hova-vägen."),
    (20, "Bedrägeri", "mariestad", "Personer som utger sig för att vara från banken ringer äldre."),
    (27, "Skadegörelse", "mariestad", "Klotter på skolan i Marieholm under natten."),
    (31, "Inbrott", "toreboda", "Inbrott i förråd i flerfamiljshus, cyklar stulna."),
    (45, "Brand", "gullspang", "Brand i container vid idrottsplatsen. Räddningstjänsten släckte."),
    (52, "Stöld, försök", "mariestad", "Försök till stöld av båtmotor i gästhamnen."),
)


def load_police_events(demo: Demo) -> None:
    with translation.override("sv"):
        PoliceEvent.objects.bulk_create(
            PoliceEvent(
                police_id=9_000_001 + number,
                municipality=demo.municipalities[place],
                happened_at=demo.now - timedelta(hours=hours),
                name=_name(demo, hours, kind, demo.municipalities[place].name),
                summary=summary,
                url=EVENTS_PAGE,
                type=kind,
            )
            for number, (hours, kind, place, summary) in enumerate(EVENTS)
        )


def _name(demo: Demo, hours: float, kind: str, place: str) -> str:
    """The police's own way of naming an event: "04 december 08.50, Inbrott, Mariestad"."""
    moment = timezone.localtime(demo.now - timedelta(hours=hours))
    return f"{formats.date_format(moment, 'd F H.i')}, {kind}, {place}"
