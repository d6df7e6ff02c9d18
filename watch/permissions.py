"""Who may do what in the watch app. Every view and service asks here.

Roles are read from the database once per process and roles version (see
``roles_changed``) and cached on the user object for the request: an official's
municipalities, the areas the user is a contact for, and whether the user has
two-factor authentication (an authenticator app or a passkey) — officials hold no
powers until they have it.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, replace

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.households.models import Membership, MembershipStatus
from watch.roles.models import AreaContact, Official, OfficialKind

AnyUser = User | AnonymousUser

_CACHE_ATTRIBUTE = "_watch_roles"
# What counts as two-factor authentication: an authenticator app or a passkey. Recovery
# codes do not: they are the way back in when the others are lost, not a factor of their own.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@dataclass(frozen=True)
class Roles:
    is_admin: bool = False
    official_kind: str | None = None
    has_mfa: bool = False
    official_municipality_ids: frozenset[int] = frozenset()
    contact_area_ids: frozenset[int] = frozenset()

    @property
    def is_official(self) -> bool:
        """An official who can act as one: two-factor authentication is set up."""
        return self.official_kind is not None and self.has_mfa

    @property
    def official_needs_mfa(self) -> bool:
        return self.official_kind is not None and not self.has_mfa

    @property
    def is_police(self) -> bool:
        return self.is_official and self.official_kind == OfficialKind.POLICE

    @property
    def is_coordinator(self) -> bool:
        return self.is_official and self.official_kind == OfficialKind.COORDINATOR

    @property
    def is_area_contact(self) -> bool:
        return bool(self.contact_area_ids)

    @property
    def municipality_ids(self) -> frozenset[int]:
        return self.official_municipality_ids if self.is_official else frozenset()


def roles_of(user: AnyUser) -> Roles:
    if not user.is_authenticated or not user.is_active:
        return Roles()
    cached = user.__dict__.get(_CACHE_ATTRIBUTE)
    if cached is not None:
        return cached
    # is_superuser comes with the user, who is read on every request anyway.
    roles = replace(_stored_roles(user.pk, roles_version()), is_admin=user.is_superuser)
    user.__dict__[_CACHE_ATTRIBUTE] = roles
    return roles


# Shared by every process through the cache (Redis in production): an opaque token,
# replaced whenever anyone's roles change, as the areas' version is
# (watch.areas.selectors.AREAS_VERSION_KEY). Signals replace it (watch.apps), so admin
# edits and every other save path do too.
ROLES_VERSION_KEY = "watch:roles:version"


def roles_version() -> str:
    """The current version of everyone's roles; one cache read when it exists.

    With the cache unreachable every call gives a new token, so roles are read from
    the database each time: never stale, only slower.
    """
    return str(cache.get_or_set(ROLES_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None))


def roles_changed() -> None:
    """Make every process read roles from the database again.

    Replaced at once, so this request sees its own change, and again after the commit,
    so another process that read the not-yet-committed state in between does not keep it.
    """
    cache.set(ROLES_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(ROLES_VERSION_KEY, uuid.uuid4().hex, timeout=None))


# Reading roles takes three or four queries, and every signed-in page needs them before it
# shows anything (the header's links). Bounded: a process forgets the least recent.
@functools.lru_cache(maxsize=10_000)
def _stored_roles(user_id: int, version: str) -> Roles:
    """What the database says of ``user_id``'s roles at roles version ``version``.

    ``version`` only keys the cache: a change of roles replaces it, so nothing read
    before the change is found again.
    """
    official = Official.objects.filter(user_id=user_id).first()
    return Roles(
        official_kind=official.kind if official else None,
        has_mfa=Authenticator.objects.filter(user_id=user_id, type__in=SECOND_FACTORS).exists(),
        official_municipality_ids=frozenset(
            official.municipalities.values_list("pk", flat=True) if official else ()
        ),
        contact_area_ids=frozenset(
            AreaContact.objects.filter(user_id=user_id).values_list("area_id", flat=True)
        ),
    )


def forget_roles(user: AnyUser) -> None:
    """Drop the cached roles after a change to them within the same request."""
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)


def can_manage_areas(user: AnyUser) -> bool:
    """Has the management pages at all: admins, officials and area contacts."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_official or roles.is_area_contact


def can_see_interest(user: AnyUser) -> bool:
    """Sees where households wait for an area, and draws new areas: officials and admins."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_official


def acts_for_municipalities(user: AnyUser) -> bool:
    """Officials (with or without their second factor yet) and admins: they act for the
    municipality, not as residents (they are not offered the residents' report form)."""
    roles = roles_of(user)
    return roles.is_admin or roles.official_kind is not None


def can_administer_municipality(user: AnyUser, municipality: Municipality | int) -> bool:
    """Create and edit areas, appoint contacts, see interest: officials of it, and admins."""
    roles = roles_of(user)
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    return roles.is_admin or municipality_id in roles.municipality_ids


def can_edit_area(user: AnyUser, area: WatchArea) -> bool:
    return can_administer_municipality(user, area.municipality_id)


def can_manage_area(user: AnyUser, area: WatchArea) -> bool:
    """Decide join requests, see and export members: the area's contacts and officials."""
    return area.pk in roles_of(user).contact_area_ids or can_edit_area(user, area)


def manageable_areas(user: AnyUser) -> Q:
    """A filter on WatchArea for the areas ``user`` may manage (see can_manage_area)."""
    roles = roles_of(user)
    if roles.is_admin:
        return Q()
    return Q(pk__in=roles.contact_area_ids) | Q(municipality_id__in=roles.municipality_ids)


def administered_municipalities(user: AnyUser) -> Q:
    """A filter on Municipality for the municipalities ``user`` administers."""
    roles = roles_of(user)
    return Q() if roles.is_admin else Q(pk__in=roles.municipality_ids)


def can_edit_municipality_page(user: AnyUser, municipality: Municipality) -> bool:
    """The public page's texts, contacts and citizen promise: its coordinators, and admins.

    The police officer is one of the page's contacts, not its editor: the municipality
    publishes the page (the seed's page is the municipality's own).
    """
    roles = roles_of(user)
    return roles.is_admin or (roles.is_coordinator and municipality.pk in roles.municipality_ids)


def can_report_sign(user: AnyUser, area: WatchArea) -> bool:
    """Say how a sign fares: the area's members (who pass it every day) and its managers."""
    return can_manage_area(user, area) or (
        user.is_authenticated
        and Membership.objects.filter(
            area=area, status=MembershipStatus.APPROVED, household__members__user=user
        ).exists()
    )


def can_see_area_page(user: AnyUser, area: WatchArea) -> bool:
    """Active areas are public; proposed, paused and closed ones only to their managers."""
    return area.status == AreaStatus.ACTIVE or can_manage_area(user, area)


def can_schedule_meeting(user: AnyUser, area: WatchArea) -> bool:
    """Create, change and cancel the area's meetings: its contacts, its municipality's
    coordinators, and admins. Police officers take part in meetings but do not run them."""
    roles = roles_of(user)
    return (
        roles.is_admin
        or area.pk in roles.contact_area_ids
        or (roles.is_coordinator and area.municipality_id in roles.municipality_ids)
    )


def can_see_away_notices(user: AnyUser, area: WatchArea) -> bool:
    """Households tell their away notices to the area's contacts, not to officials."""
    return area.pk in roles_of(user).contact_area_ids


# --- Observations and statistics -------------------------------------------------------


def can_report_observation(user: AnyUser) -> bool:
    """Members of an area report what they see: their household is approved somewhere.

    Reports reach volunteers and municipal staff, photos included; limiting them to
    households an area contact has let in keeps anonymous sign-ups from flooding them.
    """
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        household__members__user=user, status=MembershipStatus.APPROVED
    ).exists()


def can_see_observations(user: AnyUser) -> bool:
    """Observations go to the area's contacts and the municipality's coordinators.

    Not to the police: members report them to the municipality (graffiti, fly-posting,
    vandalism), and police matters go to 112 or 114 14.
    """
    roles = roles_of(user)
    return roles.is_admin or roles.is_coordinator or roles.is_area_contact


def visible_observations(user: AnyUser) -> Q:
    """A filter on Observation for the observations ``user`` may see, handle and export."""
    roles = roles_of(user)
    if roles.is_admin:
        return Q()
    visible = Q(area_id__in=roles.contact_area_ids)
    if roles.is_coordinator:
        visible |= Q(municipality_id__in=roles.municipality_ids)
    return visible


def can_see_statistics(user: AnyUser) -> bool:
    """Aggregates only, no personal data: officials (police included) and admins."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_official


def can_see_audit_log(user: AnyUser) -> bool:
    """Coordinators oversee what officials and area contacts did; so do admins."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_coordinator


def visible_audit_entries(user: AnyUser) -> Q:
    """A filter on AuditEntry: a coordinator's municipalities, everything for admins."""
    roles = roles_of(user)
    if roles.is_admin:
        return Q()
    if roles.is_coordinator:
        return Q(municipality_id__in=roles.municipality_ids)
    return Q(pk__in=[])
