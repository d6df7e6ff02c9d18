"""Demo data for the three municipalities of the source document.

Every step looks rows up by a natural key before creating them, so loading twice
changes nothing. Contact details are fictional: the telephone numbers are from the
ranges the Swedish Post and Telecom Authority (PTS) reserves for fiction, and the
e-mail addresses use the reserved example.com domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.mfa import activate_totp
from accounts.models import User
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.community import away, meetings, observations
from watch.community.models import (
    AwayNotice,
    Meeting,
    MeetingKind,
    Observation,
    ObservationCategory,
)
from watch.households.models import Household, HouseholdMember, Membership, MembershipStatus
from watch.municipality_page.models import (
    CitizenPromise,
    ContactRole,
    MunicipalityContact,
    PromiseItem,
    PromiseStatus,
)
from watch.roles.models import AreaContact, Official, OfficialKind

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
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.mariestad@example.com"),
        coordinator=("Robin Demosson", "031-390 06 01", "sakerhet.mariestad@example.com"),
    ),
    DemoMunicipality(
        "Töreboda",
        "1473",
        "toreboda",
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.toreboda@example.com"),
        coordinator=("Alex Provsson", "031-390 06 02", "sakerhet.toreboda@example.com"),
    ),
    DemoMunicipality(
        "Gullspång",
        "1447",
        "gullspang",
        police=("Kim Exempelsson", "031-390 06 00", "kommunpolis.gullspang@example.com"),
        coordinator=("Sam Testsson", "031-390 06 03", "sakerhet.gullspang@example.com"),
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


DEMO_HOW_TO_START = (
    "Prata med dina grannar och kontakta säkerhetssamordnaren eller kommunpolisen. Ett nytt "
    "område startar med ett möte med polisen, där ni får veta hur ni skyddar era hem och utser "
    "kontaktombud. Registrera ditt hushåll här: finns inget område där du bor ser kommunen "
    "att du är intresserad."
)
# Mariestad's citizen promise for 2020, from the source document.
DEMO_PROMISE_INTRODUCTION = (
    "Under 2020 kommer polisen och Mariestads kommun att fortsätta att särskilt fokusera på "
    "ungdomar i riskzonen och på platser där ungdomar möts. Ungdomar räknas i detta löfte från "
    "13 år och uppåt. Syftet är att tidigt fånga upp individer som riskerar att dras in i "
    "narkotikamissbruk och/eller kriminalitet."
)
DEMO_PROMISE_ITEMS = (
    (
        "Polisen kommer utifrån underrättelser och problembild genomföra riktade insatser och "
        "prioritera lagföring.",
        PromiseStatus.DONE,
    ),
    (
        "Parterna ska tillsammans vid minst ett tillfälle informera föräldrar och personal som "
        "möter ungdomar om hur man ser tecken på att någon riskerar hamna i missbruk. Under 2020 "
        "är temat för informationen tobak.",
        PromiseStatus.DONE,
    ),
    (
        "Kommun och polis ska söka sig till mötesplatser där ungdomar träffas och samverkan ska "
        "ske inför större evenemang.",
        PromiseStatus.IN_PROGRESS,
    ),
    (
        "Polis och kommun ska besöka platser där det säljs narkotika och identifiera åtgärder i "
        "brottsförebyggande syfte.",
        PromiseStatus.IN_PROGRESS,
    ),
    (
        "Kommunen ska sprida kunskap om hedersrelaterat våld och våld i nära relation och "
        "upplysa om vart den som är drabbad kan vända sig för att få stöd.",
        PromiseStatus.DONE,
    ),
    (
        "Kommunen ska utveckla arbetet för dokumentation av otillbörlig affischering, klotter "
        "och skadegörelse.",
        PromiseStatus.PLANNED,
    ),
)


def load_citizen_promise(municipality: Municipality) -> None:
    promise, created = CitizenPromise.objects.get_or_create(
        municipality=municipality, year=2020, defaults={"introduction": DEMO_PROMISE_INTRODUCTION}
    )
    if created:
        PromiseItem.objects.bulk_create(
            PromiseItem(promise=promise, text=text, status=status, position=position)
            for position, (text, status) in enumerate(DEMO_PROMISE_ITEMS)
        )


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
        # A coordinator's own text is never overwritten.
        Municipality.objects.filter(pk=municipality.pk, how_to_start="").update(
            how_to_start=DEMO_HOW_TO_START
        )
        loaded[demo.slug] = municipality
    load_citizen_promise(loaded["mariestad"])
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
        "medlem@example.com",
        "Maja Medlem",
        "Marieholmsgatan 3",
        "542 31",
        "Mariestad",
        "Marieholm",
        MembershipStatus.APPROVED,
    ),
    (
        "kontaktombud@example.com",
        "Eva Kontaktsson",
        "Marieholmsgatan 7",
        "542 31",
        "Mariestad",
        "Marieholm",
        MembershipStatus.APPROVED,
    ),
    (
        "granne1@example.com",
        "Olle Granne",
        "Marieholmsgatan 12",
        "542 31",
        "Mariestad",
        "Marieholm",
        MembershipStatus.REQUESTED,
    ),
    (
        "granne2@example.com",
        "Lisa Granne",
        "Ekuddsvägen 4",
        "542 35",
        "Mariestad",
        "Ekudden",
        MembershipStatus.REQUESTED,
    ),
    (
        "granne3@example.com",
        "Ahmed Granne",
        "Storgatan 21",
        "545 30",
        "Töreboda",
        "Töreboda centrum väst",
        MembershipStatus.APPROVED,
    ),
    (
        "granne4@example.com",
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
        email, full_name, street, postal_code, town, area_name, membership_status = row
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
                "status": membership_status,
                "requested_by": user,
                "decided_by": contact if status == MembershipStatus.APPROVED else None,
            },
        )
    return areas


def load_activity(area: WatchArea, contact: User, member: User) -> None:
    """A start meeting, an away notice and an observation in ``area``, each once."""
    if not Meeting.objects.filter(area=area).exists():
        starts_at = (timezone.localtime() + timedelta(days=14)).replace(
            hour=18, minute=30, second=0, microsecond=0
        )
        meetings.create_meeting(
            actor=contact,
            area=area,
            details=meetings.MeetingDetails(
                kind=MeetingKind.NEIGHBOURS,
                title="Grannmöte i Marieholm",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1, minutes=30),
                location="Marieholmsskolans matsal",
                description="Kommunpolisen berättar om inbrotten i höstas. Kaffe finns.",
            ),
        )
    household = HouseholdMember.objects.get(user=member).household
    if not AwayNotice.objects.filter(household=household).exists():
        today = timezone.localdate()
        away.create_notice(
            user=member,
            starts_on=today + timedelta(days=20),
            ends_on=today + timedelta(days=27),
            tell_neighbours=True,
            note="Grannen i nummer 7 tömmer brevlådan.",
        )
    if not Observation.objects.filter(reporter=member).exists():
        observations.report_observation(
            reporter=member,
            details=observations.ObservationDetails(
                category=ObservationCategory.GRAFFITI,
                observed_at=timezone.now() - timedelta(days=1),
                longitude=(area.min_lon + area.max_lon) / 2,
                latitude=(area.min_lat + area.max_lat) / 2,
                description="Nytt klotter på elskåpet vid busshållplatsen.",
            ),
        )


def load_demo() -> list[tuple[str, str]]:
    """Load everything; return the demo logins as (e-mail, role description)."""
    municipalities = load_municipalities()

    _user("admin@example.com", "Ada Administratör", is_staff=True)
    coordinator = _user("samordnare@example.com", "Robin Demosson")
    police = _user("polis@example.com", "Kim Exempelsson")
    for user, kind in ((coordinator, OfficialKind.COORDINATOR), (police, OfficialKind.POLICE)):
        official, _ = Official.objects.get_or_create(user=user, defaults={"kind": kind})
        official.municipalities.add(*municipalities.values())
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            activate_totp(user, DEMO_TOTP_SECRET)
    contact = _user("kontaktombud@example.com", "Eva Kontaktsson", phone="+46701740605")
    member = _user("medlem@example.com", "Maja Medlem", phone="+46701740606")
    areas = load_areas(municipalities, contact)
    load_activity(areas["Marieholm"], contact, member)
    # Imported here: notifications depends on watch, not the other way round.
    from notifications.demo import load_alerts, load_tips

    load_alerts(police, municipalities["mariestad"], load_tips())

    return [
        ("admin@example.com", "administrator (Django admin)"),
        ("samordnare@example.com", "security coordinator, all three municipalities"),
        ("polis@example.com", "police officer, all three municipalities"),
        ("kontaktombud@example.com", "area contact for Marieholm, Mariestad"),
        ("medlem@example.com", "member in Marieholm, Mariestad"),
    ]
