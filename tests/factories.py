"""factory_boy factories for the whole suite."""

from __future__ import annotations

from datetime import datetime, timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.mfa import activate_totp, random_secret
from accounts.models import User
from notifications.alerts.models import Alert, AlertVersion, Kind, Severity, TargetKind
from notifications.preferences.models import MemberSettings, Preference
from notifications.push.models import PushSubscription
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.community.models import Meeting, Observation
from watch.households.models import Household, HouseholdMember, Membership, MembershipStatus
from watch.paper.models import ConsentMethod, PaperHousehold
from watch.roles.models import Official

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="sv_SE")
    language = "en"
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """A verified primary e-mail address unless ``verified=False`` is passed."""
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


def with_mfa(user: User) -> User:
    """Give ``user`` a TOTP authenticator, as an official must have."""
    activate_totp(user, random_secret())
    return user


def square(lon: float, lat: float, size: float = 0.004) -> dict:
    """A square GeoJSON polygon (degrees) with its south-west corner at lon, lat."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    # Four digits like SCB's codes, 9000-9999 so they never meet a real one (or a fixture's).
    code = factory.Sequence(lambda n: f"{9000 + n % 1000}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")


class WatchAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchArea

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Område {n}")
    status = AreaStatus.ACTIVE
    # Each area its own square on a grid near Mariestad, so areas never overlap.
    boundary = factory.Sequence(lambda n: square(13.80 + 0.01 * (n % 50), 58.60 + 0.01 * (n // 50)))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    street_address = factory.Sequence(lambda n: f"Storgatan {n + 1}")
    postal_code = "542 30"
    town = "Mariestad"
    longitude = 13.82
    latitude = 58.71

    @classmethod
    def inside(cls, area: WatchArea, **kwargs: object) -> Household:
        return cls(
            longitude=(area.min_lon + area.max_lon) / 2,
            latitude=(area.min_lat + area.max_lat) / 2,
            **kwargs,
        )


def resident(user: User, household: Household) -> HouseholdMember:
    return HouseholdMember.objects.create(user=user, household=household)


def member_of(area: WatchArea, user: User | None = None, **user_kwargs: object) -> User:
    """A user whose household lies in ``area`` and is an approved member of it."""
    user = user or UserFactory(**user_kwargs)
    household = HouseholdFactory.inside(area)
    resident(user, household)
    Membership.objects.create(
        household=household, area=area, status=MembershipStatus.APPROVED, requested_by=user
    )
    return user


def official(kind: str, *municipalities: Municipality, mfa: bool = True, **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    record = Official.objects.create(user=user, kind=kind)
    record.municipalities.add(*municipalities)
    return with_mfa(user) if mfa else user


def alert_for(author: User, *areas: WatchArea, **fields: object) -> Alert:
    """A draft alert to ``areas``."""
    defaults: dict[str, object] = {
        "kind": Kind.POLICE_ALERT,
        "severity": Severity.NORMAL,
        "title": "Inbrott på Storgatan",
        "body": "Var uppmärksam på okända personer i området.",
        "target_kind": TargetKind.AREAS,
    }
    alert = Alert.objects.create(author=author, **{**defaults, **fields})
    alert.target_areas.set(areas)
    return alert


def prefer(user: User, kind: str, **channels: bool) -> Preference:
    return Preference.objects.update_or_create(user=user, kind=kind, defaults=channels)[0]


def verified_phone(user: User, phone: str = "+46701740650", **settings: object) -> User:
    user.phone = phone
    user.save(update_fields=["phone"])
    MemberSettings.objects.update_or_create(
        user=user, defaults={"verified_phone": phone, **settings}
    )
    return user


def version_of(alert: Alert, language: str, title: str = "", body: str = "") -> AlertVersion:
    """The alert's version in ``language``; its title and text say which language it is."""
    return AlertVersion.objects.create(
        alert=alert,
        language=language,
        title=title or f"Titel på {language}",
        body=body or f"Meddelande på {language}.",
    )


def reads_alerts_in(user: User, language: str) -> User:
    """A member who chose ``language`` for their alerts."""
    MemberSettings.objects.update_or_create(user=user, defaults={"alert_language": language})
    return user


def subscribed(user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """A device of ``user``'s set up for push (its keys: tests.push_service.Device)."""
    return PushSubscription.objects.create(
        user=user, endpoint=endpoint, p256dh=p256dh, auth=auth, label="Firefox · Android"
    )


def sent_public_alert(author: User, *areas: WatchArea, **fields: object) -> Alert:
    """A public alert that went out to ``areas`` (as dispatch leaves it)."""
    now = timezone.now()
    defaults: dict[str, object] = {
        "is_public": True,
        "status": "sent",
        "dispatched_at": now,
        "sent_at": now,
    }
    alert = alert_for(author, *areas, **{**defaults, **fields})
    alert.areas.set(areas)
    alert.municipalities.set({area.municipality_id for area in areas})
    return alert


def _a_week_ahead() -> datetime:
    return timezone.now() + timedelta(days=7)


def _two_hours_after(meeting: Meeting) -> datetime:
    return meeting.starts_at + timedelta(hours=2)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A neighbour meeting a week ahead, two hours long."""

    class Meta:
        model = Meeting

    area = factory.SubFactory(WatchAreaFactory)
    kind = "neighbours"
    title = "Grannmöte"
    starts_at = factory.LazyFunction(_a_week_ahead)
    ends_at = factory.LazyAttribute(_two_hours_after)
    location = "Föreningshuset, Storgatan 1"


def centre(area: WatchArea) -> tuple[float, float]:
    return (area.min_lon + area.max_lon) / 2, (area.min_lat + area.max_lat) / 2


def observation_in(where: WatchArea, reporter: User | None = None, **fields: object) -> Observation:
    """A graffiti report from yesterday at the middle of ``where``."""
    lon, lat = centre(where)
    defaults: dict[str, object] = {
        "reporter": reporter,
        "municipality": where.municipality,
        "area": where,
        "category": "graffiti",
        "observed_at": timezone.now() - timedelta(days=1),
        "longitude": lon,
        "latitude": lat,
        "description": "Tags on the bus shelter",
    }
    return Observation.objects.create(**{**defaults, **fields})


def report_data(area: WatchArea, **overrides: object) -> dict[str, object]:
    """The observation form as a member fills it: graffiti two hours ago in ``area``."""
    lon, lat = centre(area)
    observed = timezone.localtime() - timedelta(hours=2)
    return {
        "category": "graffiti",
        "observed_at": observed.strftime("%Y-%m-%dT%H:%M"),
        "longitude": f"{lon:.6f}",
        "latitude": f"{lat:.6f}",
        "description": "Tags on the bus shelter",
        **overrides,
    }


def on_paper(
    area: WatchArea, *, names: str = "Åsa och Per Ölund", **fields: object
) -> PaperHousehold:
    """A household an area contact registered on paper yesterday: an approved member of
    ``area`` with no login."""
    household = HouseholdFactory.inside(area)
    Membership.objects.create(household=household, area=area, status=MembershipStatus.APPROVED)
    defaults: dict[str, object] = {
        "consent_how": ConsentMethod.SIGNED_FORM,
        "consent_at": timezone.now() - timedelta(days=1),
    }
    return PaperHousehold.objects.create(household=household, names=names, **{**defaults, **fields})


def texted_on_paper(
    area: WatchArea, *, phone: str = "+46701740605", **fields: object
) -> PaperHousehold:
    """A household on paper whose resident confirmed its number to a contact: alerts to
    ``area`` are texted to it (watch.paper.texts)."""
    return on_paper(
        area, phone=phone, phone_verified_at=timezone.now() - timedelta(hours=1), **fields
    )
