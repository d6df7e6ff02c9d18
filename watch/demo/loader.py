"""A plausible year of neighbourhood watch in Mariestad, Töreboda and Gullspång.

About 30 areas in every status, 600 households that joined over the year (with
pending requests, declines and households that left), contacts and officials,
meetings, away notices, observations with photos, interest where no area exists,
and a year of alerts with their deliveries (``watch.demo.alerts``).

Everything is written as history, in bulk and in one transaction: no message is sent
or queued. The generators are seeded, so every machine gets the same demo (its dates
count back from the day it is loaded). Loading again changes nothing: the demo is there
once its administrator is.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape as geojson_shape

from accounts.mfa import activate_totp
from accounts.models import User
from notifications.tips import services as tip_services
from notifications.tips.models import Tip
from watch.areas import selectors as area_selectors
from watch.areas.geometry import shapes
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.audit.models import AuditAction, AuditEntry
from watch.demo import alerts, community, content, paper, places, police, signs
from watch.households.models import Household, HouseholdMember, Interest, Membership
from watch.households.models import MembershipStatus as Status
from watch.municipality_page.models import (
    CitizenPromise,
    ContactRole,
    MunicipalityContact,
    PromiseItem,
)
from watch.roles.models import AreaContact, Official, OfficialKind

LOGINS = (
    ("admin@example.com", "Ada Administratör", "administrator (Django admin)"),
    ("samordnare@example.com", "Robin Demosson", "security coordinator, all three municipalities"),
    ("polis@example.com", "Kim Exempelsson", "police officer, all three municipalities"),
    ("kontaktombud@example.com", "Eva Kontaktsson", "area contact for Marieholm, Mariestad"),
    ("medlem@example.com", "Maja Medlem", "member in Marieholm, Mariestad"),
)
SEED = 2026
# Areas left without a contact, for the coordinators' list of areas that need one.
WITHOUT_CONTACT = {"Västerbo", "Lindbacka", "Sotebo"}


@dataclass
class AreaHistory:
    area: WatchArea
    town: places.Town
    started: datetime
    # (user, approved at, left at or None): who was a member when.
    members: list[tuple[User, datetime, datetime | None]] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)


def load_demo(now: datetime | None = None) -> bool:
    """Load the demo unless it is there; whether it was loaded now."""
    if User.objects.filter(email=LOGINS[0][0]).exists():
        return False
    with transaction.atomic():
        Demo(now or timezone.now()).load()
    return True


class Demo:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.rng = random.Random(SEED)  # noqa: S311 - demo data
        self.users: dict[str, User] = {}
        self.histories: list[AreaHistory] = []
        self.municipalities: dict[str, Municipality] = {}
        self.audit: list[AuditEntry] = []
        self.used_emails: set[str] = set()

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def load(self) -> None:
        self.load_municipalities()
        self.load_people()
        self.load_areas()
        self.load_households()
        self.load_contacts()
        self.load_interest()
        meetings = community.load_meetings(self)
        community.load_away_notices(self)
        community.load_observations(self)
        police.load_police_events(self)
        signs.load_signs(self)
        paper.load_paper_households(self)
        tips = self.load_tips()
        alerts.load(self, tips, meetings)
        paper.load_paper_texts(self)
        AuditEntry.objects.bulk_create(self.audit, batch_size=500)
        # bulk_create sends no signals: the index and the public map must be rebuilt.
        area_selectors.areas_changed()

    # --- Municipalities and people with a role -------------------------------------------

    def load_municipalities(self) -> None:
        for demo in content.MUNICIPALITIES:
            municipality = Municipality.objects.create(
                name=demo.name,
                code=demo.code,
                slug=demo.slug,
                how_to_start=content.HOW_TO_START,
                households_total=demo.households_total,
                boundary=places.outline(demo.slug),
            )
            for position, (role, (name, phone, email)) in enumerate(
                (
                    (ContactRole.MUNICIPAL_POLICE, demo.police),
                    (ContactRole.SECURITY_COORDINATOR, demo.coordinator),
                )
            ):
                MunicipalityContact.objects.create(
                    municipality=municipality,
                    role=role,
                    name=name,
                    phone=phone,
                    email=email,
                    position=position,
                )
            self.municipalities[demo.slug] = municipality
        promise = CitizenPromise.objects.create(
            municipality=self.municipalities["mariestad"],
            year=2020,
            introduction=content.PROMISE_INTRODUCTION,
        )
        PromiseItem.objects.bulk_create(
            PromiseItem(promise=promise, text=text, status=status, position=position)
            for position, (text, status) in enumerate(content.PROMISE_ITEMS)
        )

    def load_people(self) -> None:
        """The five demo logins (one password hash for all: it is the same password) and
        the coordinators of Töreboda and Gullspång, who do not sign in."""
        password = make_password(content.DEMO_PASSWORD)
        phones = {"kontaktombud@example.com": "+46701740605", "medlem@example.com": "+46701740606"}
        for email, name, _role in LOGINS:
            user = User.objects.create(
                email=email,
                full_name=name,
                password=password,
                phone=phones.get(email, ""),
                is_staff=email.startswith("admin@"),
                is_superuser=email.startswith("admin@"),
                date_joined=self.days_ago(365),
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            self.users[email] = user
        everywhere = list(self.municipalities.values())
        for email, kind in (
            ("samordnare@example.com", OfficialKind.COORDINATOR),
            ("polis@example.com", OfficialKind.POLICE),
        ):
            official = Official.objects.create(user=self.users[email], kind=kind)
            official.municipalities.set(everywhere)
            activate_totp(self.users[email], content.DEMO_TOTP_SECRET)
        for slug in ("toreboda", "gullspang"):
            demo = next(m for m in content.MUNICIPALITIES if m.slug == slug)
            name, _phone, email = demo.coordinator
            user = User.objects.create(email=email, full_name=name, password=make_password(None))
            official = Official.objects.create(user=user, kind=OfficialKind.COORDINATOR)
            official.municipalities.set([self.municipalities[slug]])

    # --- Areas and households ---------------------------------------------------------------

    def load_areas(self) -> None:
        rows = []
        for town in places.TOWNS:
            for demo in town.areas:
                boundary = places.boundary(town, demo)
                box = shapes.bbox_of(shapes.load_trusted(boundary))
                started = self.days_ago(
                    330 if demo.name == "Marieholm" else self.rng.randint(45, 350)
                )
                rows.append(
                    (
                        town,
                        started,
                        WatchArea(
                            municipality=self.municipalities[town.municipality],
                            name=demo.name,
                            status=demo.status,
                            boundary=boundary,
                            min_lon=box.min_lon,
                            min_lat=box.min_lat,
                            max_lon=box.max_lon,
                            max_lat=box.max_lat,
                            start_meeting_date=None
                            if demo.status == AreaStatus.PROPOSED
                            else started.date(),
                            created_at=started - timedelta(days=30),
                        ),
                    )
                )
        WatchArea.objects.bulk_create([area for _town, _started, area in rows])
        coordinator = self.users["samordnare@example.com"]
        for town, started, area in rows:
            self.histories.append(AreaHistory(area, town, started))
            self.audit.append(
                AuditEntry(
                    actor=coordinator,
                    action=AuditAction.AREA_CREATED,
                    area=area,
                    municipality=area.municipality,
                    detail=f"{area.name} ({area.status})",
                    created_at=area.created_at,
                )
            )

    def person(self, *, joined: datetime) -> User:
        first, last = self.rng.choice(content.FIRST_NAMES), self.rng.choice(content.LAST_NAMES)
        plain = unicodedata.normalize("NFKD", f"{first}.{last}".lower()).encode("ascii", "ignore")
        base = plain.decode()
        email, n = f"{base}@{content.DOMAIN}", 1
        while email in self.used_emails:
            n += 1
            email = f"{base}{n}@{content.DOMAIN}"
        self.used_emails.add(email)
        return User(
            email=email,
            full_name=f"{first} {last}",
            password=make_password(None),
            date_joined=joined,
        )

    def load_households(self) -> None:
        """Households join each active area over the year after its start meeting: most are
        approved, a few declined or gone, the newest still waiting."""
        households: list[Household] = []
        people: list[tuple[Household, User]] = []
        plans: list[tuple[AreaHistory, Household, datetime, str]] = []
        for history in self.histories:
            if history.area.status == AreaStatus.PROPOSED:
                continue
            active = history.area.status == AreaStatus.ACTIVE
            count = self.rng.randint(18, 32) if active else 7
            street = places.streets(history.area.name)
            shape = geojson_shape(history.area.boundary)
            for number, (lon, lat) in enumerate(
                places.points_inside(shape, count, self.rng), start=1
            ):
                age = (self.now - history.started).days
                requested = history.started + timedelta(
                    days=min(self.rng.expovariate(1 / max(age / 3, 1)), age)
                )
                household = Household(
                    street_address=f"{street[number % 2]} {number * 2 + 1}",
                    postal_code=history.town.postal_code,
                    town=history.town.name,
                    longitude=lon,
                    latitude=lat,
                    created_at=requested - timedelta(hours=1),
                )
                households.append(household)
                plans.append((history, household, requested, self.outcome(history, requested)))
                for _ in range(self.rng.choices((1, 2, 3), (40, 45, 15))[0]):
                    people.append((household, self.person(joined=household.created_at)))
        marieholm = next(h for h in self.histories if h.area.name == "Marieholm")
        approved = [
            i for i, (h, _hh, _at, out) in enumerate(plans) if h is marieholm and out == "yes"
        ]
        for email, index in zip(
            ("kontaktombud@example.com", "medlem@example.com"), approved, strict=False
        ):
            household = plans[index][1]
            household.created_at = self.days_ago(321)
            people.append((household, self.users[email]))
            # Each demo login lives in a household of Marieholm approved long ago.
            plans[index] = (marieholm, household, self.days_ago(320), "yes")
        Household.objects.bulk_create(households, batch_size=500)
        User.objects.bulk_create(
            [user for _household, user in people if user.pk is None], batch_size=500
        )
        HouseholdMember.objects.bulk_create(
            [
                HouseholdMember(
                    user=user,
                    household=household,
                    joined_at=household.created_at,
                    share_contact_details=self.rng.random() < 0.25,
                )
                for household, user in people
            ],
            batch_size=500,
        )
        self.write_memberships(plans, people)

    def outcome(self, history: AreaHistory, requested: datetime) -> str:
        if history.area.status == AreaStatus.CLOSED:
            return "left"
        if self.now - requested < timedelta(days=6):
            return "waiting"
        return self.rng.choices(("yes", "declined", "left"), (92, 3, 5))[0]

    def write_memberships(
        self,
        plans: list[tuple[AreaHistory, Household, datetime, str]],
        people: list[tuple[Household, User]],
    ) -> None:
        residents: dict[int, list[User]] = {}
        for household, user in people:
            residents.setdefault(id(household), []).append(user)
        coordinator = self.users["samordnare@example.com"]
        rows = []
        for history, household, requested, outcome in plans:
            requester = residents[id(household)][0]
            decided = requested + timedelta(days=self.rng.uniform(0.2, 5))
            membership = Membership(
                household=household,
                area=history.area,
                requested_by=requester,
                requested_at=requested,
                status={"yes": Status.APPROVED, "declined": Status.DECLINED}.get(
                    outcome, Status.REQUESTED if outcome == "waiting" else Status.LEFT
                ),
            )
            if outcome != "waiting":
                membership.decided_by = coordinator
                membership.decided_at = decided
            if outcome == "declined":
                membership.reason = self.rng.choice(content.DECLINE_REASONS)
            left = None
            if outcome == "left":
                left = decided + timedelta(days=self.rng.uniform(20, 200))
                left = min(left, self.days_ago(2))
                membership.ended_by, membership.ended_at = requester, left
                membership.reason = "Flyttat"
            rows.append(membership)
            if outcome in ("yes", "left"):
                history.households.append(household)
                history.members += [(user, decided, left) for user in residents[id(household)]]
            if outcome in ("yes", "declined"):
                action = (
                    AuditAction.REQUEST_APPROVED
                    if outcome == "yes"
                    else AuditAction.REQUEST_DECLINED
                )
                self.audit.append(
                    AuditEntry(
                        actor=coordinator,
                        action=action,
                        area=history.area,
                        municipality=history.area.municipality,
                        subject=requester,
                        detail=f"{household} {membership.reason}".strip(),
                        created_at=decided,
                    )
                )
        Membership.objects.bulk_create(rows, batch_size=500)

    def load_contacts(self) -> None:
        """Two or three contacts for most active areas, the first one the main contact."""
        coordinator = self.users["samordnare@example.com"]
        rows = []
        for history in self.histories:
            if history.area.status != AreaStatus.ACTIVE or history.area.name in WITHOUT_CONTACT:
                continue
            current = [user for user, _at, left in history.members if left is None]
            if history.area.name == "Marieholm":
                chosen = [self.users["kontaktombud@example.com"]]
                current = [u for u in current if u not in chosen]
            else:
                chosen = []
            chosen += self.rng.sample(current, k=min(len(current), self.rng.choice((1, 2)) + 1))
            for position, user in enumerate(chosen[:3]):
                appointed = history.started + timedelta(days=position * 9)
                rows.append(
                    AreaContact(
                        area=history.area,
                        user=user,
                        is_main=position == 0,
                        appointed_by=coordinator,
                        appointed_at=appointed,
                    )
                )
                self.audit.append(
                    AuditEntry(
                        actor=coordinator,
                        action=AuditAction.CONTACT_APPOINTED,
                        area=history.area,
                        municipality=history.area.municipality,
                        subject=user,
                        created_at=appointed,
                    )
                )
        AreaContact.objects.bulk_create(rows)

    def load_interest(self) -> None:
        """Households where no active area is: in the proposed areas and two villages."""
        spots = [
            (h.area.municipality, h.town.name, h.town.postal_code, geojson_shape(h.area.boundary))
            for h in self.histories
            if h.area.status == AreaStatus.PROPOSED
        ]
        rows: list[tuple[Municipality, Household]] = []
        for municipality, town, postal_code, shape in spots:
            for lon, lat in places.points_inside(shape, self.rng.randint(4, 7), self.rng):
                rows.append((municipality, self.interested(town, postal_code, lon, lat, days=120)))
        for slug, village, postal_code, lon, lat in places.INTEREST_CLUSTERS:
            for _ in range(self.rng.randint(9, 13)):
                point = places.near(lon, lat, 350, self.rng)
                rows.append(
                    (
                        self.municipalities[slug],
                        self.interested(village, postal_code, *point, days=200),
                    )
                )
        Household.objects.bulk_create([household for _m, household in rows])
        users = [self.person(joined=household.created_at) for _m, household in rows]
        User.objects.bulk_create(users)
        HouseholdMember.objects.bulk_create(
            HouseholdMember(user=user, household=household, joined_at=household.created_at)
            for (_m, household), user in zip(rows, users, strict=True)
        )
        Interest.objects.bulk_create(
            Interest(
                household=household,
                registered_by=user,
                municipality=municipality,
                may_contact=self.rng.random() < 0.8,
                created_at=household.created_at,
            )
            for (municipality, household), user in zip(rows, users, strict=True)
        )

    def interested(
        self, town: str, postal_code: str, lon: float, lat: float, *, days: int
    ) -> Household:
        street = places.streets(town)
        return Household(
            street_address=f"{self.rng.choice(street)} {self.rng.randint(1, 60)}",
            postal_code=postal_code,
            town=town,
            longitude=lon,
            latitude=lat,
            created_at=self.days_ago(self.rng.uniform(3, days)),
        )

    def load_tips(self) -> list[Tip]:
        tips = Tip.objects.bulk_create(
            Tip(
                theme=theme, title=title, body=body, created_by=self.users["samordnare@example.com"]
            )
            for theme, title, body in content.TIPS
        )
        tip_services.schedule_yearly(
            actor=self.users["samordnare@example.com"],
            tip=tips[0],
            municipalities=list(self.municipalities.values()),
            month=6,
            day=20,
        )
        return tips
