"""Demo data for the three municipalities of the source document.

Every step looks rows up by a natural key before creating them, so loading twice
changes nothing. Contact details are fictional: the telephone numbers are from the
ranges the Swedish Post and Telecom Authority (PTS) reserves for fiction, and the
e-mail addresses use the reserved example.se domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from accounts.models import User
from watch.models import (
    ContactRole,
    Municipality,
    MunicipalityContact,
    Official,
    OfficialKind,
)

DEMO_PASSWORD = "grannsamverkan-demo"  # noqa: S105 - printed for the demo on purpose


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


def load_demo() -> list[tuple[str, str]]:
    """Load everything; return the demo logins as (e-mail, role description)."""
    municipalities = load_municipalities()

    _user("admin@example.se", "Ada Administratör", is_staff=True)
    coordinator = _user("samordnare@example.se", "Robin Demosson")
    police = _user("polis@example.se", "Kim Exempelsson")
    for user, kind in ((coordinator, OfficialKind.COORDINATOR), (police, OfficialKind.POLICE)):
        official, _ = Official.objects.get_or_create(user=user, defaults={"kind": kind})
        official.municipalities.add(*municipalities.values())
    _user("kontaktombud@example.se", "Eva Kontaktsson", phone="+46701740605")
    _user("medlem@example.se", "Maja Medlem", phone="+46701740606")

    return [
        ("admin@example.se", "administrator (Django admin)"),
        ("samordnare@example.se", "security coordinator, all three municipalities"),
        ("polis@example.se", "police officer, all three municipalities"),
        ("kontaktombud@example.se", "area contact"),
        ("medlem@example.se", "member"),
    ]
