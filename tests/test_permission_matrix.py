"""The permission matrix: every URL of the project against every role.

The URL names come from the resolver itself, so a new view cannot be forgotten:
``test_every_url_is_in_the_matrix_or_excluded`` fails until the view has a row
in ``MATRIX`` or a commented rule in ``EXCLUDED_NAMES``. Each (URL, method, role) is
its own test with fresh fixtures, because POSTs change state.

Expected outcomes follow README "Who sees what": login-required pages send the
anonymous to the login page; management URLs are a 404 for anyone who may not
manage the object (its existence is not revealed); an area contact of A may
manage A but not edit it (403). An unverified user cannot log in (mandatory
verification), so they behave exactly as the anonymous do.

A case where the code contradicts those rules gets ``"xfail": {role: reason}``
in its row and the outcome the README requires: it stays visible, and the
strict xfail fails once the view is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern

from notifications import rendering, tips
from notifications.models import Alert, Channel, Delivery, Kind, Tip, TipSchedule
from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD, HouseholdFactory, UserFactory, official, resident
from watch.models import AreaContact, Membership, MembershipStatus, OfficialKind
from watch.services import Invitation, _invitation_token

pytestmark = pytest.mark.django_db

LOGIN = "302 to login"  # Location starts with reverse("account_login")
ADMIN_LOGIN = "302 to admin login"

# Short role key → conftest fixture (None: a client that never logged in).
ROLES = {
    "anonymous": None,
    "unverified": "unverified_user",  # posts the login form, is refused: same as anonymous
    "member": "member",  # verified, no household
    "member_a": "area_member",  # approved member of A (Anna, whose data must not leak)
    "contact_b": "other_area_contact",  # contact of B, same municipality as A
    "coord_n": "other_coordinator",  # coordinator of the other municipality
    "contact_a": "area_contact",  # rightful: contact of A
    "coord": "coordinator",  # rightful: coordinator of A's municipality
    "police": "police",  # rightful: police of A's municipality
    "admin": "admin_user",
}
# Roles with no business seeing the personal data of A's members.
OUTSIDERS = {"anonymous", "unverified", "member", "contact_b", "coord_n"}
MEMBER_DATA = ("anna@example.org", "Anna Areamedlem")


def expect(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    """The outcome per role: ``default`` unless overridden. Unverified is always anonymous."""
    assert overrides.keys() <= ROLES.keys() - {"unverified"}, overrides.keys()
    outcomes = {role: overrides.get(role, default) for role in ROLES}
    outcomes["unverified"] = outcomes["anonymous"]
    return outcomes


# --- How to build each URL's arguments ------------------------------------------------------

Get = Callable[[str], Any]  # request.getfixturevalue


def area_a(get: Get) -> list[Any]:
    return [get("area").pk]


def pending_in_a(get: Get) -> list[Any]:
    return [get("pending_request").pk]


def approved_in_a(get: Get) -> list[Any]:
    return [get("approved_membership").pk]


def contact_of_a(get: Get) -> list[Any]:
    return [get("second_contact").pk]


def token(get: Get) -> list[Any]:
    return [get("invitation_token")]


def sent_alert(get: Get) -> list[Any]:
    return [get("sent_alert").pk]


def draft_alert(get: Get) -> list[Any]:
    return [get("draft_alert").pk]


def annas_delivery(get: Get) -> list[Any]:
    return [get("sent_alert").deliveries.get(channel=Channel.INAPP).pk]


def library_tip(get: Get) -> list[Any]:
    return [get("tip_in_library").pk]


def yearly_tip(get: Get) -> list[Any]:
    return [get("tip_schedule").pk]


def unsubscribe_token(get: Get) -> list[Any]:
    return [rendering.unsubscribe_token(get("area_member").pk, Kind.WARNING)]


PUBLIC = expect(200)
SIGNED_IN = expect(200, anonymous=LOGIN)
SIGNED_IN_POST = expect(302, anonymous=LOGIN)  # any signed-in user; the view redirects back
# Management of area A: the rightful roles only, everyone else a 404.
MANAGE_A = expect(404, anonymous=LOGIN, contact_a=200, coord=200, police=200, admin=200)
MANAGE_A_POST = expect(404, anonymous=LOGIN, contact_a=302, coord=302, police=302, admin=302)
# Editing A (boundary, contacts): officials and admins; A's contact may manage but not edit.
EDIT_A = expect(404, anonymous=LOGIN, contact_a=403, coord=200, police=200, admin=200)
# Municipality-wide official pages: any official for their own municipalities, and admins.
OFFICIALS = expect(404, anonymous=LOGIN, coord_n=200, coord=200, police=200, admin=200)

# Alerts: anyone who may compose (contacts, officials, admins); the author of a draft.
COMPOSERS = expect(200, anonymous=LOGIN, member=404, member_a=404)
DRAFT_AUTHOR_POST = expect(404, anonymous=LOGIN, contact_a=302, admin=302)

# One row per URL name: "args" builds the URL arguments, "GET"/"POST" the outcome per role,
# "data" the POST body (minimal and valid, so the rightful roles take the success path),
# "xfail" {role: reason} for known contradictions of the README rules (none at present).
MATRIX: dict[str, dict[str, Any]] = {
    # Public.
    "watch:home": {"GET": PUBLIC},
    "watch:area_list": {"GET": PUBLIC},
    "watch:areas_geojson": {"GET": PUBLIC},
    "watch:area_detail": {"args": area_a, "GET": PUBLIC},
    "healthz": {"GET": PUBLIC},
    "javascript-catalog": {"GET": PUBLIC},
    "set_language": {"POST": expect(302), "data": {"language": "en"}},
    # Residents: any signed-in user, for their own household.
    "watch:join": {"args": area_a, "POST": SIGNED_IN_POST},
    "watch:household": {
        # No household yet: sent to register one.
        "GET": expect(302, anonymous=LOGIN, member_a=200, contact_a=200, contact_b=200),
    },
    "watch:household_edit": {"GET": SIGNED_IN},
    "watch:leave": {"POST": SIGNED_IN_POST},
    "watch:interest": {"GET": SIGNED_IN},
    "watch:household_invite": {"POST": SIGNED_IN_POST, "data": {"email": "guest@example.org"}},
    "watch:invitation": {"args": token, "GET": SIGNED_IN},
    "accounts:profile": {"GET": SIGNED_IN},
    # Area contacts and officials.
    "watch:manage": {"GET": expect(200, anonymous=LOGIN, member=404, member_a=404)},
    "watch:area_create": {"GET": OFFICIALS},
    "watch:manage_area": {"args": area_a, "GET": MANAGE_A},
    "watch:area_edit": {"args": area_a, "GET": EDIT_A},
    "watch:area_contacts": {"args": area_a, "GET": EDIT_A},
    "watch:area_invite": {
        "args": area_a,
        "POST": MANAGE_A_POST,
        "data": {"email": "guest@example.org"},
    },
    "watch:members_csv": {"args": area_a, "GET": MANAGE_A},
    "watch:members_print": {"args": area_a, "GET": MANAGE_A},
    "watch:contact_remove": {
        "args": contact_of_a,
        "POST": expect(404, anonymous=LOGIN, contact_a=403, coord=302, police=302, admin=302),
    },
    "watch:approve": {"args": pending_in_a, "POST": MANAGE_A_POST},
    "watch:decline": {
        "args": pending_in_a,
        "GET": MANAGE_A,
        "POST": MANAGE_A_POST,
        "data": {"reason": "Outside the area"},
    },
    "watch:remove": {
        "args": approved_in_a,
        "GET": MANAGE_A,
        "POST": MANAGE_A_POST,
        "data": {"reason": "Moved away"},
    },
    "watch:interest_map": {"GET": OFFICIALS},
    # Alerts: composers (contacts, officials, admins) see their own alerts and, officials,
    # every alert sent to their municipalities; only the author edits, sends or cancels a draft.
    "notifications:alert_list": {"GET": COMPOSERS},
    "notifications:alert_create": {"GET": COMPOSERS},
    "notifications:alert_detail": {
        "args": sent_alert,  # a police alert sent to A, with a failed delivery to Anna
        "GET": expect(404, anonymous=LOGIN, coord=200, police=200, admin=200),
    },
    "notifications:alert_edit": {
        "args": draft_alert,  # written by the contact of A
        "GET": expect(404, anonymous=LOGIN, contact_a=200, admin=403),
    },
    "notifications:alert_send": {"args": draft_alert, "POST": DRAFT_AUTHOR_POST},
    "notifications:alert_cancel": {"args": draft_alert, "POST": DRAFT_AUTHOR_POST},
    # The tip library: officials see it and send from it; coordinators (and admins) curate it.
    "notifications:tip_list": {
        "GET": OFFICIALS,
        "POST": expect(404, anonymous=LOGIN, coord_n=302, coord=302, police=403, admin=302),
        "data": {"theme": "Inbrott", "title": "Lås dörren", "body": "Även när du är hemma."},
    },
    "notifications:tip_edit": {
        "args": library_tip,
        "GET": expect(404, anonymous=LOGIN, coord_n=200, coord=200, police=403, admin=200),
    },
    "notifications:tip_schedule": {"args": library_tip, "GET": OFFICIALS},
    "notifications:tip_unschedule": {
        "args": yearly_tip,  # the coordinator of A's municipality sends it there every year
        "POST": expect(404, anonymous=LOGIN, coord=302, police=403, admin=302),
    },
    # A member's own messages and choices.
    "notifications:inbox": {"GET": SIGNED_IN},
    "notifications:inbox_read_all": {"POST": SIGNED_IN_POST},
    "notifications:inbox_entry": {
        "args": annas_delivery,  # personal: not even an admin opens someone else's inbox
        "GET": expect(404, anonymous=LOGIN, member_a=200),
    },
    "notifications:preferences": {"GET": SIGNED_IN},
    "notifications:phone_send_code": {"POST": SIGNED_IN_POST},
    "notifications:phone_verify": {"POST": SIGNED_IN_POST, "data": {"code": "123456"}},
    # One-click unsubscribe from e-mail (RFC 8058): the signed token is the authority.
    "notifications:unsubscribe": {"args": unsubscribe_token, "GET": PUBLIC},
    # Representatives of the excluded third-party views.
    "admin:index": {"GET": expect(ADMIN_LOGIN, admin=200)},
    "account_login": {"GET": expect(302, anonymous=200)},  # signed in: sent on to the site
    "mfa_index": {"GET": SIGNED_IN},
}

# Third-party URLs left out of the matrix (their projects test them; rows above sample them).
EXCLUDED_NAMES: list[tuple[str, str]] = [
    # (name prefix, module the view must come from)
    # Django admin: access is is_staff plus model permissions, enforced by Django itself.
    ("admin:", ""),
    # allauth login, signup, e-mail and password views, under accounts/.
    ("account_", "allauth."),
    # allauth two-factor authentication views, under accounts/2fa/.
    ("mfa_", "allauth."),
]
EXCLUDED_UNNAMED: list[tuple[str, str]] = [
    # (route prefix, module the view must come from)
    # The admin's catch-all and object redirects (admin/<app>/<model>/<id>/).
    ("admin/", ""),
    # Uploaded files, served in development only (DEBUG).
    ("^media/", "django.views.static"),
]


# --- Walking the resolver -------------------------------------------------------------------


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """(full route, namespaced name or None, view) for every pattern, into every include."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, route, ":".join(filter(None, [namespace, entry.namespace])))
        else:
            assert isinstance(entry, URLPattern)
            name = entry.name and ":".join(filter(None, [namespace, entry.name]))
            yield route, name, entry.callback


def uncovered(resolver: URLResolver) -> list[str]:
    missing = []
    for route, name, view in walk(resolver):
        module = view.__module__ or ""
        rules = EXCLUDED_NAMES if name else EXCLUDED_UNNAMED
        key = name or route
        if name in MATRIX or any(
            key.startswith(prefix) and module.startswith(origin) for prefix, origin in rules
        ):
            continue
        missing.append(f"{name} /{route}")
    return missing


def test_every_url_is_in_the_matrix_or_excluded():
    assert uncovered(get_resolver()) == []


def test_every_row_is_a_url():
    names = {name for _route, name, _view in walk(get_resolver())}
    assert set(MATRIX) - names == set()


def test_a_new_view_is_noticed():
    def view(request):
        return HttpResponse()

    new = [path("reports/", include(([path("", view, name="overview")], "reports")))]
    resolver = URLResolver(RegexPattern(r"^/"), [*get_resolver().url_patterns, *new])

    assert uncovered(resolver) == [*uncovered(get_resolver()), "reports:overview /reports/"]


# --- The matrix -----------------------------------------------------------------------------


@pytest.fixture
def pending_request(area) -> Membership:
    """A second household inside A that has asked to join."""
    user = UserFactory(full_name="Sam Sökande")
    household = HouseholdFactory.inside(area)
    resident(user, household)
    return Membership.objects.create(
        household=household, area=area, status=MembershipStatus.REQUESTED, requested_by=user
    )


@pytest.fixture
def approved_membership(area_member) -> Membership:
    return Membership.objects.get(
        household__members__user=area_member, status=MembershipStatus.APPROVED
    )


@pytest.fixture
def second_contact(area) -> AreaContact:
    return AreaContact.objects.create(area=area, user=UserFactory(full_name="Kim Kontakt"))


@pytest.fixture
def invitation_token(area, area_member) -> str:
    return _invitation_token(Invitation("area", area.pk, "guest@example.org", area_member.pk))


@pytest.fixture
def sent_alert(area, area_member) -> Alert:
    """A police alert sent to A: Anna got it in the app; her e-mail failed."""
    author = official(OfficialKind.POLICE, area.municipality, full_name="Paula Polis")
    alert = Alert.objects.create(
        author=author, kind=Kind.POLICE_ALERT, title="Inbrott", body="Lås dörren.", status="sent"
    )
    alert.target_areas.add(area)
    alert.areas.add(area)
    alert.municipalities.add(area.municipality)
    for channel, status in ((Channel.INAPP, "sent"), (Channel.EMAIL, "failed")):
        Delivery.objects.create(
            alert=alert, user=area_member, area=area, channel=channel, status=status
        )
    return alert


@pytest.fixture
def draft_alert(area, area_contact) -> Alert:
    alert = Alert.objects.create(
        author=area_contact, kind=Kind.INFORMATION, title="Grannmöte", body="Välkomna!"
    )
    alert.target_areas.add(area)
    return alert


@pytest.fixture
def tip_in_library(db) -> Tip:
    return Tip.objects.create(theme="Inbrott", title="Lås dörren", body="Även när du är hemma.")


@pytest.fixture
def tip_schedule(coordinator, municipality, tip_in_library) -> TipSchedule:
    return tips.schedule_yearly(
        actor=coordinator, tip=tip_in_library, municipalities=[municipality], month=12, day=24
    )


def cases() -> Iterator[Any]:
    for name, row in MATRIX.items():
        methods = [method for method in ("GET", "POST") if method in row]
        for method in methods:
            for role in ROLES:
                label = name if len(methods) == 1 else f"{name}-{method}"
                reason = row.get("xfail", {}).get(role)
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(name, method, role, id=f"{label}-{role}", marks=marks)


def client_as(role: str, get: Get) -> Client:
    if ROLES[role] is None:
        return Client()
    user = get(ROLES[role])
    if role != "unverified":
        return client_for(user)
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session
    return client


def outcome(response: HttpResponse) -> int | str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    if response.status_code == 302 and location.startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(("name", "method", "role"), list(cases()))
def test_permission_matrix(request, name, method, role):
    get = request.getfixturevalue
    get("area_member")  # Anna's data exists in every case, for the leak check below.
    row = MATRIX[name]
    url = reverse(name, args=row.get("args", lambda get: [])(get))
    client = client_as(role, get)

    data = row.get("data", {})
    response = client.get(url) if method == "GET" else client.post(url, data)

    assert outcome(response) == row[method][role]
    if role in OUTSIDERS and not response.streaming:
        body = response.content.decode()
        assert [leaked for leaked in MEMBER_DATA if leaked in body] == []
