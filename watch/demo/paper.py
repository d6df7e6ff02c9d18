"""Households on paper in Marieholm, the demo contact's area: one whose number a resident
confirmed (alerts are texted to it), two that get letters, and a neighbour who said no.
So the contact's page shows letters to deliver and a texted household, and the police's
Check step counts texts and letters."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from shapely.geometry import shape as geojson_shape

from notifications.outbox.models import DeliveryStatus
from watch.demo import places
from watch.households.models import Household, Membership, MembershipStatus
from watch.paper.models import ConsentMethod, PaperHousehold, PaperText, SaidNo
from watch.paper.selectors import letter_alerts

if TYPE_CHECKING:
    from watch.demo.loader import Demo

# (names, mobile number or "", whether a resident confirmed it, how they agreed)
ON_PAPER = [
    ("Gunnel och Rune Fredriksson", "+46701740611", True, ConsentMethod.SIGNED_FORM),
    ("Ingrid Axelsson", "", False, ConsentMethod.IN_PERSON),
    ("Sven-Erik Holm", "+46701740612", False, ConsentMethod.PHONE),
]
AREA = "Marieholm"


def load_paper_households(demo: Demo) -> None:
    """Registered by the demo contact half a year ago, before the year's recent alerts."""
    history = next(h for h in demo.histories if h.area.name == AREA)
    contact = demo.users["kontaktombud@example.com"]
    registered = demo.days_ago(180)
    points = places.points_inside(geojson_shape(history.area.boundary), len(ON_PAPER) + 1, demo.rng)
    street = places.streets(AREA)[0]
    households = Household.objects.bulk_create(
        Household(
            street_address=f"{street} {100 + number * 2}",
            postal_code=history.town.postal_code,
            town=history.town.name,
            longitude=lon,
            latitude=lat,
            created_at=registered,
        )
        for number, (lon, lat) in enumerate(points[: len(ON_PAPER)])
    )
    Membership.objects.bulk_create(
        Membership(
            household=household,
            area=history.area,
            status=MembershipStatus.APPROVED,
            requested_by=contact,
            requested_at=registered,
            decided_by=contact,
            decided_at=registered,
        )
        for household in households
    )
    PaperHousehold.objects.bulk_create(
        PaperHousehold(
            household=household,
            names=names,
            phone=phone,
            phone_verified_at=registered if confirmed else None,
            consent_by=contact,
            consent_at=registered,
            consent_how=how,
        )
        for household, (names, phone, confirmed, how) in zip(households, ON_PAPER, strict=True)
    )
    SaidNo.objects.create(
        area=history.area,
        street_address=f"{street} {100 + len(ON_PAPER) * 2}",
        postal_code=history.town.postal_code,
        town=history.town.name,
        recorded_by=contact,
        recorded_at=registered,
    )


def load_paper_texts(demo: Demo) -> None:
    """The texts dispatch would have written for the recent alerts to the area, sent a
    minute after each."""
    texted = PaperHousehold.objects.filter(
        household__memberships__area__name=AREA, phone_verified_at__isnull=False
    ).select_related("household")
    history = next(h for h in demo.histories if h.area.name == AREA)
    PaperText.objects.bulk_create(
        PaperText(
            alert=alert,
            household=paper.household,
            status=DeliveryStatus.SENT,
            attempts=1,
            created_at=alert.dispatched_at,
            sent_at=alert.dispatched_at + timedelta(minutes=1),
        )
        for alert in letter_alerts(history.area)
        for paper in texted
        if alert.dispatched_at and alert.dispatched_at > paper.consent_at
    )
