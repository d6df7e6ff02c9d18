"""Demo data for the three municipalities of the source document.

Every step looks rows up by a natural key before creating them, so loading twice
changes nothing. Contact details are fictional: the telephone numbers are from the
ranges the Swedish Post and Telecom Authority (PTS) reserves for fiction, and the
e-mail addresses use the reserved example.se domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import User
from watch.models import (
    AreaContact,
    AreaStatus,
    ContactRole,
    Household,
    HouseholdMember,
    Membership,
    MembershipStatus,
    Municipality,
    MunicipalityContact,
    Official,
    OfficialKind,
    WatchArea,
)

DEMO_PASSWORD = "grannsamverkan-demo"  # noqa: S105 - printed for the demo on purpose
# Officials act only with two-factor authentication; the demo ones share this TOTP secret
# (printed, to be added to an authenticator app) so the demo can be tried at once.
DEMO_TOTP_SECRET = "GRANNSAMVERKANDEMO234567"  # noqa: S105 - printed for the demo on purpose


@dataclass(frozen=True)
class DemoMunicipality:
    name: str
    code: str
    slug: str
    police: tuple[str, str, str]
    coordinator: tuple[str, str, str]


MUNICIPALITIES = (
    DemoMunicipality(
        "Mariestad",
        "1493",
        "mariestad",
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.mariestad@example.se"),
        coordinator=("Robin Demosson", "031-390 06 01", "sakerhet.mariestad@example.se"),
    ),
    DemoMunicipality(
        "Töreboda",
        "1473",
        "toreboda",
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.toreboda@example.se"),
        coordinator=("Alex Provsson", "031-390 06 02", "sakerhet.toreboda@example.se"),
    ),
    DemoMunicipality(
        "Gullspång",
        "1447",
        "gullspang",
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.gullspang@example.se"),
        coordinator=("Sam Testsson", "031-390 06 03", "sakerhet.gullspang@example.se"),
    ),
)


def _user(email: str, full_name: str, *, phone: str = "", is_staff: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            phone=phone,
            is_staff=is_staff,
            is_superuser=is_staff,
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return user


def load_municipalities() -> dict[str, Municipality]:
    loaded: dict[str, Municipality] = {}
    for demo in MUNICIPALITIES:
        municipality, _ = Municipality.objects.get_or_create(
            code=demo.code, defaults={"name": demo.name, "slug": demo.slug}
        )
        for position, (role, (name, phone, email)) in enumerate(
            (
                (ContactRole.MUNICIPAL_POLICE, demo.police),
                (ContactRole.SECURITY_COORDINATOR, demo.coordinator),
            )
        ):
            MunicipalityContact.objects.get_or_create(
                municipality=municipality,
                role=role,
                name=name,
                defaults={"phone": phone, "email": email, "position": position},
            )
        loaded[demo.slug] = municipality
    return loaded


def _box(lon: float, lat: float, width: float, height: float) -> dict[str, Any]:
    """A rectangle (degrees) with its south-west corner at lon, lat, as GeoJSON."""
    ring = [
        [lon, lat],
        [lon + width, lat],
        [lon + width, lat + height],
        [lon, lat + height],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


# Residential districts near each town centre; roughly 500 by 450 metres each.
DEMO_AREAS = (
    ("mariestad", "Marieholm", _box(13.8300, 58.7150, 0.0090, 0.0045), AreaStatus.ACTIVE),
    ("mariestad", "Ekudden", _box(13.8050, 58.6990, 0.0080, 0.0040), AreaStatus.ACTIVE),
    ("mariestad", "Hindsberg", _box(13.8420, 58.6960, 0.0085, 0.0040), AreaStatus.PROPOSED),
    (
        "toreboda",
        "Töreboda centrum väst",
        _box(14.1150, 58.7040, 0.0080, 0.0040),
        AreaStatus.ACTIVE,
    ),
    ("toreboda", "Bråten", _box(14.1300, 58.7090, 0.0080, 0.0040), AreaStatus.ACTIVE),
    ("gullspang", "Gullspång centrum", _box(14.0900, 58.9830, 0.0080, 0.0040), AreaStatus.ACTIVE),
    ("gullspang", "Hova norra", _box(14.2080, 58.8600, 0.0080, 0.0040), AreaStatus.ACTIVE),
)

# (e-mail, name, street, postal code, town, area, membership status)
DEMO_HOUSEHOLDS = (
    (
        "medlem@example.se",
        "Maja Medlem",
        "Marieholmsgatan 3",
        "542 31",
        "Mariestad",
        "Marieholm",
        MembershipStatus.APPROVED,
    ),
    (
        "kontaktombud@example.se",
        "Eva Kontaktsson",
        "Marieholmsgatan 7",
        "542 31",
        "Mariestad",
        "Marieholm",
        MembershipStatus.APPROVED,
    ),
    (
        "granne1@example.se",
        "Olle Granne",
        "Marieholmsgatan 12",
        "542 31",
        "Mariestad",
        "Marieholm",
        MembershipStatus.REQUESTED,
    ),
    (
        "granne2@example.se",
        "Lisa Granne",
        "Ekuddsvägen 4",
        "542 35",
        "Mariestad",
        "Ekudden",
        MembershipStatus.REQUESTED,
    ),
    (
        "granne3@example.se",
        "Ahmed Granne",
        "Storgatan 21",
        "545 30",
        "Töreboda",
        "Töreboda centrum väst",
        MembershipStatus.APPROVED,
    ),
    (
        "granne4@example.se",
        "Karin Granne",
        "Hovavägen 2",
        "548 31",
        "Hova",
        "Hova norra",
        MembershipStatus.REQUESTED,
    ),
)


def load_areas(municipalities: dict[str, Municipality], contact: User) -> dict[str, WatchArea]:
    areas: dict[str, WatchArea] = {}
    for slug, name, boundary, status in DEMO_AREAS:
        area, _ = WatchArea.objects.get_or_create(
            municipality=municipalities[slug],
            name=name,
            defaults={"boundary": boundary, "status": status, "signs_up": status == "active"},
        )
        areas[name] = area
    AreaContact.objects.get_or_create(
        area=areas["Marieholm"], user=contact, defaults={"is_main": True}
    )
    for index, row in enumerate(DEMO_HOUSEHOLDS):
        email, full_name, street, postal_code, town, area_name, status = row
        user = _user(email, full_name)
        area = areas[area_name]
        # Households sit near the middle of their area, so locate finds them.
        lon = round((area.min_lon + area.max_lon) / 2 + 0.0005 * index, 6)
        lat = round((area.min_lat + area.max_lat) / 2, 6)
        household, _ = Household.objects.get_or_create(
            street_address=street,
            postal_code=postal_code,
            defaults={"town": town, "longitude": lon, "latitude": lat},
        )
        HouseholdMember.objects.get_or_create(user=user, defaults={"household": household})
        Membership.objects.get_or_create(
            household=household,
            area=area,
            defaults={
                "status": status,
                "requested_by": user,
                "decided_by": contact if status == MembershipStatus.APPROVED else None,
            },
        )
    return areas


def load_demo() -> list[tuple[str, str]]:
    """Load everything; return the demo logins as (e-mail, role description)."""
    municipalities = load_municipalities()

    _user("admin@example.se", "Ada Administratör", is_staff=True)
    coordinator = _user("samordnare@example.se", "Robin Demosson")
    police = _user("polis@example.se", "Kim Exempelsson")
    for user, kind in ((coordinator, OfficialKind.COORDINATOR), (police, OfficialKind.POLICE)):
        official, _ = Official.objects.get_or_create(user=user, defaults={"kind": kind})
        official.municipalities.add(*municipalities.values())
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    contact = _user("kontaktombud@example.se", "Eva Kontaktsson", phone="+46701740605")
    _user("medlem@example.se", "Maja Medlem", phone="+46701740606")
    load_areas(municipalities, contact)
    # Imported here: notifications depends on watch, not the other way round.
    from notifications.demo import load_alerts, load_tips

    load_alerts(police, municipalities["mariestad"], load_tips())

    return [
        ("admin@example.se", "administrator (Django admin)"),
        ("samordnare@example.se", "security coordinator, all three municipalities"),
        ("polis@example.se", "police officer, all three municipalities"),
        ("kontaktombud@example.se", "area contact for Marieholm, Mariestad"),
        ("medlem@example.se", "member in Marieholm, Mariestad"),
    ]
