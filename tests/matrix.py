"""The permission matrix's data: every URL of the project against every role, the roles,
the fixtures that build each row's URL and body, and how a response reads as an outcome.

``tests/test_permission_matrix.py`` runs it; ``tests/test_hostile_input.py`` and
``tests/test_accessibility_matrix.py`` walk the same rows. ``tests/conftest.py`` makes the
fixtures below available to every test.

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
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from accounts.models import User
from notifications import rendering
from notifications.alerts.models import Alert, Channel, Delivery, Kind
from notifications.answers.models import Notice
from notifications.channels import sms as sms_channel
from notifications.notices.services import stop_path
from notifications.push.models import PushSubscription
from notifications.replies.models import Conversation, Reply
from notifications.tips import services as tips
from notifications.tips.models import Tip, TipSchedule
from official.public_warnings.models import PublicWarning
from tests.conftest import client_for
from tests.factories import (
    DEFAULT_PASSWORD,
    HouseholdFactory,
    UserFactory,
    centre,
    official,
    on_paper,
    resident,
    sent_public_alert,
    subscribed,
    texted_on_paper,
)
from tests.push_service import Device, configure
from watch.community import meetings
from watch.community.models import AwayNotice, Meeting, Observation
from watch.households.invitations import Invitation, _invitation_token
from watch.households.models import Household, Membership, MembershipStatus
from watch.municipality_page.models import CitizenPromise
from watch.paper import services as paper_services
from watch.paper import texts as paper_texts
from watch.paper.models import PaperHousehold
from watch.roles.models import AreaContact, OfficialKind
from watch.signs.models import Sign

LOGIN = "302 to login"  # Location starts with reverse("account_login")
ADMIN_LOGIN = "302 to admin login"
MFA_SETUP = "302 to two-factor setup"  # an official without TOTP, at their role's pages

# Short role key → conftest fixture (None: a client that never logged in).
ROLES = {
    "anonymous": None,
    "unverified": "unverified_user",  # posts the login form, is refused: same as anonymous
    "member": "member",  # verified, no household
    "member_a": "area_member",  # approved member of A (Anna, whose data must not leak)
    "contact_b": "other_area_contact",  # contact of B, same municipality as A
    "coord_n": "other_coordinator",  # coordinator of the other municipality
    "coord_nomfa": "coordinator_without_mfa",  # of A's municipality, no TOTP yet: see expect()
    "contact_a": "area_contact",  # rightful: contact of A
    "coord": "coordinator",  # rightful: coordinator of A's municipality
    "police": "police",  # rightful: police of A's municipality
    "admin": "admin_user",
}
# Roles with no business seeing the personal data of A's members.
OUTSIDERS = {"anonymous", "unverified", "member", "contact_b", "coord_n", "coord_nomfa"}
MEMBER_DATA = ("anna@example.org", "Anna Areamedlem")


def expect(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    """The outcome per role: ``default`` unless overridden. Unverified is always anonymous.

    An official without two-factor authentication holds a member's powers and no more.
    test_permission_matrix adds: where a coordinator's outcome differs from a member's,
    they are sent to set up TOTP instead; elsewhere that redirect is allowed too.
    """
    assert overrides.keys() <= ROLES.keys() - {"unverified", "coord_nomfa"}, overrides.keys()
    outcomes = {role: overrides.get(role, default) for role in ROLES}
    outcomes["unverified"] = outcomes["anonymous"]
    outcomes["coord_nomfa"] = outcomes["member"]
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


def picked_area_a(get: Get) -> dict[str, Any]:
    """The composer's Who step: area A picked."""
    return {"target_kind": "areas", "target_areas": [get("area").pk]}


# The composer's What step: a kind every composer may send.
WHAT_DATA = {"kind": "information", "severity": "normal", "title": "Grannmöte", "body": "Hej!"}


def annas_delivery(get: Get) -> list[Any]:
    return [get("sent_alert").deliveries.get(channel=Channel.INAPP).pk]


def push_subscription(get: Get) -> dict[str, Any]:
    return get("push_ready")


def annas_push_endpoint(get: Get) -> dict[str, Any]:
    return {"endpoint": get("annas_push_device").endpoint}


def annas_push_device(get: Get) -> list[Any]:
    return [get("annas_push_device").pk]


def annas_conversation(get: Get) -> list[Any]:
    return [get("annas_conversation").pk]


def annas_notice(get: Get) -> list[Any]:
    return [get("annas_notice").pk]


def annas_reply_photo(get: Get) -> list[Any]:
    return [get("annas_reply_photo").pk]


def annas_sms_receipt(get: Get) -> list[Any]:
    # The signed part of the URL her text asked 46elks to report to; her delivery is
    # an in-app one, so a report about it is answered and changes nothing.
    url = sms_channel.receipt_url(annas_delivery(get)[0]) or ""
    return [url.rstrip("/").rsplit("/", 1)[1]]


def library_tip(get: Get) -> list[Any]:
    return [get("tip_in_library").pk]


def yearly_tip(get: Get) -> list[Any]:
    return [get("tip_schedule").pk]


def unsubscribe_token(get: Get) -> list[Any]:
    return [rendering.unsubscribe_token(get("area_member").pk, Kind.WARNING)]


def stop_invitations_token(get: Get) -> list[Any]:
    return [stop_path("ny.granne@example.org").rstrip("/").rsplit("/", 1)[1]]


def meeting_in_a(get: Get) -> list[Any]:
    return [get("meeting_in_a").pk]


def annas_calendar(get: Get) -> list[Any]:
    return [meetings.calendar_token(user=get("area_member"), area=get("area"))]


def annas_away_notice(get: Get) -> list[Any]:
    return [get("away_notice").pk]


# A meeting a month ahead, in the form's datetime-local format.
_MEETING_START = timezone.localtime() + timedelta(days=30)
MEETING_DATA = {
    "kind": "neighbours",
    "title": "Grannmöte",
    "starts_at": f"{_MEETING_START:%Y-%m-%dT18:00}",
    "ends_at": f"{_MEETING_START:%Y-%m-%dT20:00}",
    "location": "Föreningshuset",
}


def observation_in_a(get: Get) -> list[Any]:
    return [get("observation_in_a").pk]


# An observation two hours ago, outside every area: it goes to the reporter's municipality.
OBSERVATION_DATA = {
    "category": "graffiti",
    "observed_at": f"{timezone.localtime() - timedelta(hours=2):%Y-%m-%dT%H:%M}",
    "longitude": "14.5",
    "latitude": "59.5",
    "description": "Tags on the bus shelter",
}
# A one-pixel PNG: the photo of the observation in A.
OBSERVATION_PHOTO = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc```\x00\x00\x00\x04\x00\x01\xf6\x178U\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def municipality_of_a(get: Get) -> list[Any]:
    return [get("municipality").slug]


def promise_of_a(get: Get) -> list[Any]:
    return [get("municipality").slug, get("citizen_promise").year]


def sign_in_a(get: Get) -> list[Any]:
    return [get("sign_in_a").pk]


def sign_in_a_body(get: Get) -> dict[str, Any]:
    area = get("area")
    return {
        "latitude": (area.min_lat + area.max_lat) / 2,
        "longitude": (area.min_lon + area.max_lon) / 2,
        "place": "Ekvägen",
        "condition": "good",
    }


def warning_in_a(get: Get) -> list[Any]:
    return [get("public_warning").pk]


def public_alert_to_a(get: Get) -> list[Any]:
    return [get("public_alert").pk]


# The municipality page: edited by its coordinators and admins; its police see 403.
PAGE_EDITORS = expect(404, anonymous=LOGIN, coord=200, police=403, admin=200)
PAGE_EDITORS_POST = expect(404, anonymous=LOGIN, coord=302, police=403, admin=302)
PAGE_DATA = {
    "how_to_start": "Kontakta säkerhetssamordnaren.",
    "households_total": "",
    "contacts-TOTAL_FORMS": "0",
    "contacts-INITIAL_FORMS": "0",
}

# Observations go to the area's contacts and the municipality's coordinators (not police).
OBSERVERS = expect(
    404, anonymous=LOGIN, contact_a=200, contact_b=200, coord=200, coord_n=200, admin=200
)


def statistics_of_m(get: Get) -> list[Any]:
    return [get("municipality").pk]


def households_csv_of_m(get: Get) -> list[Any]:
    return [get("municipality").pk, "households"]


# A municipality's statistics: its officials (police included: aggregates only) and admins.
STATISTICS_OF_M = expect(404, anonymous=LOGIN, coord=200, police=200, admin=200)


def paper_in_a(get: Get) -> list[Any]:
    return [get("paper_household_in_a").pk]


def stop_link_in_a(get: Get) -> list[Any]:
    """The stop link texted to A's household on paper with a verified number."""
    return [paper_texts.stop_token(get("texted_paper_in_a"))]


def letter_in_a(get: Get) -> list[Any]:
    """Area A and an alert that went to it: a letter for its household on paper."""
    return [get("area").pk, get("letter_alert").pk]


def paper_registration(get: Get) -> dict[str, Any]:
    """A household inside A, registered on paper with its consent."""
    longitude, latitude = centre(get("area"))
    return {
        "answer": "joins",
        "street_address": "Pappersgatan 1",
        "postal_code": "54230",
        "town": "Mariestad",
        "longitude": str(longitude),
        "latitude": str(latitude),
        "names": "Åsa Ölund",
        "phone": "",
        "consent_how": "phone",
        "consent": "on",
    }


PUBLIC = expect(200)
SIGNED_IN = expect(200, anonymous=LOGIN)
SIGNED_IN_POST = expect(302, anonymous=LOGIN)  # any signed-in user; the view redirects back
# Management of area A: the rightful roles only, everyone else a 404.
MANAGE_A = expect(404, anonymous=LOGIN, contact_a=200, coord=200, police=200, admin=200)
MANAGE_A_POST = expect(404, anonymous=LOGIN, contact_a=302, coord=302, police=302, admin=302)
# Editing A (boundary, contacts): officials and admins; A's contact may manage but not edit.
EDIT_A = expect(404, anonymous=LOGIN, contact_a=403, coord=200, police=200, admin=200)
EDIT_A_POST = expect(404, anonymous=LOGIN, contact_a=403, coord=302, police=302, admin=302)
# Municipality-wide official pages: any official for their own municipalities, and admins.
OFFICIALS = expect(404, anonymous=LOGIN, coord_n=200, coord=200, police=200, admin=200)

# Alerts: anyone who may compose (contacts, officials, admins); the author of a draft.
COMPOSERS = expect(200, anonymous=LOGIN, member=404, member_a=404)
COMPOSERS_POST = expect(302, anonymous=LOGIN, member=404, member_a=404)
DRAFT_AUTHOR_POST = expect(404, anonymous=LOGIN, contact_a=302, admin=302)
# The composer's steps over a draft: its author; an admin sees it but may not change it.
DRAFT_STEP = expect(404, anonymous=LOGIN, contact_a=200, admin=403)
DRAFT_STEP_POST = expect(404, anonymous=LOGIN, contact_a=302, admin=403)

# One row per URL name: "args" builds the URL arguments, "GET"/"POST" the outcome per role,
# "data" the POST body (minimal and valid, so the rightful roles take the success path; a
# function of the fixtures where it names a row, see ``post_data``),
# "xfail" {role: reason} for known contradictions of the README rules (none at present).
MATRIX: dict[str, dict[str, Any]] = {
    # Public.
    "watch:home": {"GET": PUBLIC},
    "watch:area_list": {"GET": PUBLIC},
    "watch:areas_geojson": {"GET": PUBLIC},
    "watch:municipalities_geojson": {"GET": PUBLIC},  # borders, public data
    "watch:area_detail": {"args": area_a, "GET": PUBLIC},
    "healthz": {"GET": expect(503)},  # the same for everyone: no worker heartbeat here
    "liveness": {"GET": PUBLIC},
    "too_large": {"GET": expect(413)},  # the error page the TLS proxy shows, for everyone
    "javascript-catalog": {"GET": PUBLIC},
    "set_language": {"POST": expect(302), "data": {"language": "en"}},
    # Residents: any signed-in user, for their own household.
    "watch:join": {"args": area_a, "POST": SIGNED_IN_POST},
    "watch:household": {
        # No household yet: sent to register one.
        "GET": expect(302, anonymous=LOGIN, member_a=200, contact_a=200, contact_b=200),
    },
    "watch:household_edit": {"GET": SIGNED_IN},
    # Their own household's membership, asked first; without one, their household page.
    "watch:leave": {
        "GET": expect(302, anonymous=LOGIN, member_a=200, contact_a=200, contact_b=200),
        "POST": SIGNED_IN_POST,
    },
    "watch:interest": {"GET": SIGNED_IN},
    "watch:household_invite": {"POST": SIGNED_IN_POST, "data": {"email": "guest@example.org"}},
    "watch:invitation": {"args": token, "GET": SIGNED_IN},
    "accounts:profile": {"GET": SIGNED_IN},
    # Area contacts and officials.
    "watch:manage": {"GET": expect(200, anonymous=LOGIN, member=404, member_a=404)},
    "watch:area_create": {"GET": OFFICIALS},
    "watch:manage_area": {"args": area_a, "GET": MANAGE_A},
    "watch:area_edit": {"args": area_a, "GET": EDIT_A},
    # The yearly confirmation: A's managers; closing and reviving: those who may edit A.
    "watch:area_confirm": {"args": area_a, "POST": MANAGE_A_POST},
    "watch:area_close": {"args": area_a, "POST": EDIT_A_POST},
    "watch:area_revive": {"args": area_a, "POST": EDIT_A_POST},
    # Signs: A's managers place them; A's members (and managers) report how they fare.
    "watch:area_signs": {
        "args": area_a,
        "GET": MANAGE_A,
        "POST": MANAGE_A_POST,
        "data": sign_in_a_body,
    },
    "watch:sign_edit": {
        "args": sign_in_a,
        "GET": MANAGE_A,
        "POST": MANAGE_A_POST,
        "data": sign_in_a_body,
    },
    "watch:sign_remove": {"args": sign_in_a, "POST": MANAGE_A_POST},
    "watch:area_decals": {"args": area_a, "POST": MANAGE_A_POST},
    "watch:sign_report": {
        "args": sign_in_a,
        "GET": expect(
            404, anonymous=LOGIN, member_a=200, contact_a=200, coord=200, police=200, admin=200
        ),
        "POST": expect(
            404, anonymous=LOGIN, member_a=302, contact_a=302, coord=302, police=302, admin=302
        ),
        "data": {"condition": "worn", "note": "Blekt"},
    },
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
    # Households on paper: A's managers register them, print their claim codes and letters,
    # keep the household list and print the start kit; any signed-in person without a
    # household claims one with its code (those with one are told they have one: 200).
    "watch:paper_register": {
        "args": area_a,
        "GET": MANAGE_A,
        "POST": MANAGE_A_POST,
        "data": paper_registration,
    },
    "watch:paper_household": {"args": paper_in_a, "GET": MANAGE_A},
    "watch:paper_claim_code": {  # the code is shown once, on the page the POST answers
        "args": paper_in_a,
        "POST": expect(404, anonymous=LOGIN, contact_a=200, coord=200, police=200, admin=200),
    },
    # Its number: changed, a code texted to it (no number here: told so, 302), the code
    # the resident read out entered (none asked for here: told so on the page, 200).
    "watch:paper_phone": {
        "args": paper_in_a,
        "POST": MANAGE_A_POST,
        "data": {"phone": "070-174 06 05"},
    },
    "watch:paper_phone_code": {"args": paper_in_a, "POST": MANAGE_A_POST},
    "watch:paper_phone_verify": {"args": paper_in_a, "POST": MANAGE_A, "data": {"code": "123456"}},
    # The stop link in its texts: no login, the signed token is the authority.
    "watch:paper_sms_stop": {"args": stop_link_in_a, "GET": PUBLIC, "POST": PUBLIC},
    "watch:claim": {
        "GET": SIGNED_IN,
        "POST": expect(302, anonymous=LOGIN, member_a=200, contact_a=200, contact_b=200),
        "data": lambda get: {"code": get("claim_code")},
    },
    "watch:paper_letters": {"args": area_a, "GET": MANAGE_A},
    "watch:paper_letters_pdf": {"args": letter_in_a, "GET": MANAGE_A},
    "watch:paper_labels_pdf": {"args": letter_in_a, "GET": MANAGE_A},
    "watch:paper_letters_delivered": {
        "args": letter_in_a,
        "POST": MANAGE_A_POST,
        "data": lambda get: {"households": [get("paper_household_in_a").household_id]},
    },
    "watch:household_list": {"args": area_a, "GET": MANAGE_A},
    "watch:start_kit": {"args": area_a, "GET": MANAGE_A},
    "watch:interest_start_kit": {"GET": OFFICIALS},
    # Alerts: composers (contacts, officials, admins) see their own alerts and, officials,
    # every alert sent to their municipalities; only the author edits, sends or cancels a draft.
    "notifications:alert_list": {"GET": COMPOSERS},
    # The composer: What (alert_create writes a draft, alert_edit changes it), Who, When;
    # Check is the draft's alert_detail, and its e-mail is framed from alert_email.
    "notifications:alert_create": {"GET": COMPOSERS, "POST": COMPOSERS_POST, "data": WHAT_DATA},
    "notifications:alert_detail": {
        "args": sent_alert,  # a police alert sent to A, with a failed delivery to Anna
        "GET": expect(404, anonymous=LOGIN, coord=200, police=200, admin=200),
    },
    # Replies: Anna answers what she was sent; its sender's colleagues read and answer.
    "notifications:alert_answer": {
        "args": sent_alert,
        "GET": expect(404, anonymous=LOGIN, member_a=200),
        "POST": expect(404, anonymous=LOGIN, member_a=302),
        "data": {"text": "Jag såg en vit skåpbil i går kväll."},
    },
    "notifications:alert_conversations": {
        "args": sent_alert,
        "GET": expect(404, anonymous=LOGIN, coord=200, police=200, admin=200),
    },
    "notifications:conversation": {
        "args": annas_conversation,
        "GET": expect(404, anonymous=LOGIN, coord=200, police=200, admin=200),
        "POST": expect(404, anonymous=LOGIN, coord=302, police=302, admin=302),
        "data": {"text": "Tack, vi tittar på det."},
    },
    "notifications:reply_photo": {
        "args": annas_reply_photo,
        "GET": expect(404, anonymous=LOGIN, member_a=200, coord=200, police=200, admin=200),
    },
    "notifications:conversation_close": {
        "args": annas_conversation,
        "POST": expect(404, anonymous=LOGIN, coord=302, police=302, admin=302),
    },
    "notifications:alert_edit": {
        "args": draft_alert,  # written by the contact of A
        "GET": DRAFT_STEP,
        "POST": DRAFT_STEP_POST,
        "data": WHAT_DATA,
    },
    "notifications:alert_who": {
        "args": draft_alert,
        "GET": DRAFT_STEP,
        "POST": DRAFT_STEP_POST,
        "data": picked_area_a,
    },
    "notifications:alert_when": {
        "args": draft_alert,
        "GET": DRAFT_STEP,
        "POST": DRAFT_STEP_POST,
        "data": {"send": "now"},
    },
    "notifications:alert_email": {
        "args": draft_alert,  # whoever sees the draft sees its e-mail
        "GET": expect(404, anonymous=LOGIN, contact_a=200, admin=200),
    },
    "notifications:alert_send": {"args": draft_alert, "POST": DRAFT_AUTHOR_POST},
    "notifications:alert_cancel": {"args": draft_alert, "POST": DRAFT_AUTHOR_POST},
    # Deleting a draft: its author only (an admin who sees it may not).
    "notifications:alert_discard": {"args": draft_alert, "POST": DRAFT_STEP_POST},
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
    "notifications:notice": {
        "args": annas_notice,  # an answer to her reply: as personal as an inbox entry
        "GET": expect(404, anonymous=LOGIN, member_a=302),
    },
    "notifications:preferences": {"GET": SIGNED_IN},
    "notifications:phone_send_code": {"POST": SIGNED_IN_POST},
    "notifications:phone_verify": {"POST": SIGNED_IN_POST, "data": {"code": "123456"}},
    # One-click unsubscribe from e-mail (RFC 8058): the signed token is the authority.
    "notifications:unsubscribe": {"args": unsubscribe_token, "GET": PUBLIC},
    # Push devices, posted as JSON by static/js/push.js: each member's own only.
    "notifications:push_subscribe": {
        "POST": expect(201, anonymous=LOGIN),
        "data": push_subscription,
        "json": True,
    },
    "notifications:push_unsubscribe": {
        "POST": SIGNED_IN,  # {"removed": false} but for Anna
        "data": annas_push_endpoint,
        "json": True,
    },
    # Only Anna's request removes it (tests/test_push_subscriptions.py).
    "notifications:push_device_remove": {"args": annas_push_device, "POST": SIGNED_IN_POST},
    # The installable app: its manifest and service worker are public, like the stylesheet.
    "webmanifest": {"GET": PUBLIC},
    "service_worker": {"GET": PUBLIC},
    # One-click "no more invitations" for an address without an account, the same way.
    "notifications:stop_invitations": {
        "args": stop_invitations_token,
        "GET": PUBLIC,
        "POST": PUBLIC,
    },
    # 46elks' handset receipts: the signed URL is the authority, whoever posts.
    "notifications:sms_receipt": {
        "args": annas_sms_receipt,
        "GET": expect(405),
        "POST": expect(204),
        "data": {"id": "s1", "status": "failed"},
    },
    # Meetings: run by A's contacts, its coordinators and admins; police see A but may not.
    "watch:meeting_create": {
        "args": area_a,
        "GET": expect(404, anonymous=LOGIN, contact_a=200, coord=200, police=403, admin=200),
        "POST": expect(404, anonymous=LOGIN, contact_a=302, coord=302, police=403, admin=302),
        "data": MEETING_DATA,
    },
    "watch:meeting_edit": {
        "args": meeting_in_a,
        "GET": expect(404, anonymous=LOGIN, contact_a=200, coord=200, police=403, admin=200),
        "POST": expect(404, anonymous=LOGIN, contact_a=302, coord=302, police=403, admin=302),
        "data": MEETING_DATA,
    },
    "watch:meeting_cancel": {
        "args": meeting_in_a,
        "GET": expect(404, anonymous=LOGIN, contact_a=200, coord=200, police=403, admin=200),
        "POST": expect(404, anonymous=LOGIN, contact_a=302, coord=302, police=403, admin=302),
    },
    # The area calendar for calendar apps: Anna's signed token is the authority.
    "watch:area_calendar": {"args": annas_calendar, "GET": PUBLIC},
    # Away notices: a household's own (no household yet: sent to register one).
    "watch:away_notices": {
        "GET": expect(302, anonymous=LOGIN, member_a=200, contact_a=200, contact_b=200),
    },
    "watch:away_notice_delete": {
        "args": annas_away_notice,  # personal: only her household deletes it
        "POST": expect(404, anonymous=LOGIN, member_a=302),
    },
    # Personal data (GDPR): each person's own data; the audit log for coordinators and admins.
    "accounts:data_export": {"GET": SIGNED_IN},
    "accounts:delete_account": {
        "GET": SIGNED_IN,
        "POST": SIGNED_IN_POST,  # deleted, then sent to the home page
        "data": {"password": DEFAULT_PASSWORD},
    },
    "watch:household_sharing": {"POST": SIGNED_IN_POST, "data": {"share_contact_details": "on"}},
    "watch:audit_log": {"GET": expect(404, anonymous=LOGIN, coord_n=200, coord=200, admin=200)},
    # Observations: approved members of an area report (others are told how to become one);
    # contacts see their areas', coordinators their municipalities'; photos only through
    # the permission-checked view.
    "watch:observation_report": {
        "GET": SIGNED_IN,
        "POST": expect(403, anonymous=LOGIN, member_a=302, contact_a=302, contact_b=302),
        "data": OBSERVATION_DATA,
    },
    # "Is it one of these?" before sending: for whoever may send a report, what sending
    # it would show. Its question is the row's "query".
    "watch:observation_nearby": {
        "GET": expect(403, anonymous=LOGIN, member_a=200, contact_a=200, contact_b=200),
        "query": {key: OBSERVATION_DATA[key] for key in ("category", "longitude", "latitude")},
    },
    "watch:observation_list": {"GET": OBSERVERS},
    "watch:observations_csv": {"GET": OBSERVERS},
    "watch:observation_detail": {
        "args": observation_in_a,
        "GET": expect(404, anonymous=LOGIN, contact_a=200, coord=200, admin=200),
    },
    "watch:observation_status": {
        "args": observation_in_a,
        "POST": expect(404, anonymous=LOGIN, contact_a=302, coord=302, admin=302),
        "data": {"status": "handling", "message": "Vi tittar på det i veckan."},
    },
    "watch:observation_merge": {
        "args": observation_in_a,
        "POST": expect(404, anonymous=LOGIN, contact_a=302, coord=302, admin=302),
        "data": lambda get: {"into": get("same_seen_by_another").pk},
    },
    # A member's own reports.
    "watch:my_observations": {"GET": SIGNED_IN},
    "watch:observation_photo": {
        "args": observation_in_a,
        "GET": expect(404, anonymous=LOGIN, contact_a=200, coord=200, admin=200),
    },
    # Statistics: whoever sees one municipality only (here: everyone) is sent on to it.
    "watch:statistics_index": {
        "GET": expect(404, anonymous=LOGIN, coord=302, police=302, coord_n=302, admin=302),
    },
    "watch:statistics": {"args": statistics_of_m, "GET": STATISTICS_OF_M},
    "watch:statistics_csv": {"args": households_csv_of_m, "GET": STATISTICS_OF_M},
    # Public pages and feeds: the municipality page (edited by its coordinators), public
    # alerts' pages, CAP documents and Atom feeds.
    "watch:municipality": {"args": municipality_of_a, "GET": PUBLIC},
    "watch:municipality_edit": {
        "args": municipality_of_a,
        "GET": PAGE_EDITORS,
        "POST": PAGE_EDITORS_POST,
        "data": PAGE_DATA,
    },
    "watch:promise_create": {
        "args": municipality_of_a,
        "GET": PAGE_EDITORS,
        "POST": PAGE_EDITORS_POST,
        "data": {"year": "2020", "introduction": "Vårt löfte till dig"},
    },
    "watch:promise_edit": {
        "args": promise_of_a,
        "GET": PAGE_EDITORS,
        "POST": PAGE_EDITORS_POST,
        "data": {
            "introduction": "Under 2020",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        },
    },
    "notifications:public_alert": {"args": public_alert_to_a, "GET": PUBLIC},
    "notifications:alert_cap": {"args": public_alert_to_a, "GET": PUBLIC},
    "official:public_warning": {"args": warning_in_a, "GET": PUBLIC},
    # Forwarding sends the warning to members: the coordinators of its municipality.
    "official:public_warning_forward": {
        "args": warning_in_a,
        "POST": expect(403, anonymous=LOGIN, coord=302, admin=302),
    },
    "notifications:area_feed": {"args": area_a, "GET": PUBLIC},
    "notifications:municipality_feed": {"args": municipality_of_a, "GET": PUBLIC},
    "notifications:municipality_cap_feed": {"args": municipality_of_a, "GET": PUBLIC},
    # Representatives of the excluded third-party views.
    "admin:index": {"GET": expect(ADMIN_LOGIN, admin=200)},
    "account_login": {"GET": expect(302, anonymous=200)},  # signed in: sent on to the site
    "mfa_index": {"GET": SIGNED_IN},
    # Passkeys (allauth's WebAuthn views): the list is anyone's own; sign-up with a passkey is
    # for the signed out; the passkey login answers a browser's script (JSON), a page visit
    # goes to the login page; making the passkey of a sign-up needs that sign-up underway.
    "mfa_list_webauthn": {"GET": SIGNED_IN},
    "account_signup_by_passkey": {"GET": expect(302, anonymous=200)},
    "mfa_login_webauthn": {"GET": expect(302, anonymous=LOGIN)},
    "mfa_signup_webauthn": {"GET": expect(302)},
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
]


# --- Fixtures the rows name -------------------------------------------------------------


@pytest.fixture
def push_ready(settings) -> dict[str, Any]:
    """Push configured (a VAPID pair), and a browser's subscription to post."""
    configure(settings)
    return Device().subscription("https://push.example.net/wpush/v2/matrix")


@pytest.fixture
def annas_push_device(area_member) -> PushSubscription:
    device = Device()
    return subscribed(
        area_member, "https://push.example.net/wpush/v2/anna", device.p256dh, device.auth
    )


@pytest.fixture
def coordinator_without_mfa(municipality) -> User:
    return official(OfficialKind.COORDINATOR, municipality, mfa=False, full_name="Nils Nyanställd")


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
def annas_conversation(sent_alert, area_member) -> Conversation:
    conversation = Conversation.objects.create(alert=sent_alert, member=area_member)
    Reply.objects.create(
        conversation=conversation, author=area_member, from_member=True, text="Jag såg något."
    )
    return conversation


@pytest.fixture
def annas_notice(annas_conversation, area_member) -> Notice:
    return Notice.objects.create(
        user=area_member,
        line="Ett svar om ”Inbrott”",
        path=reverse("notifications:alert_answer", args=[annas_conversation.alert_id]),
    )


@pytest.fixture
def annas_reply_photo(annas_conversation, area_member, settings, tmp_path) -> Reply:
    settings.MEDIA_ROOT = tmp_path
    reply = Reply(
        conversation=annas_conversation, author=area_member, from_member=True, text="Bilen."
    )
    reply.photo.save("photo.png", ContentFile(OBSERVATION_PHOTO), save=True)
    return reply


@pytest.fixture
def draft_alert(area, area_contact) -> Alert:
    alert = Alert.objects.create(
        author=area_contact, kind=Kind.INFORMATION, title="Grannmöte", body="Välkomna!"
    )
    alert.target_areas.add(area)
    return alert


@pytest.fixture
def police_draft(area, police) -> Alert:
    """A police officer's draft: their composer offers municipalities and drawing too."""
    alert = Alert.objects.create(
        author=police, kind=Kind.POLICE_ALERT, title="Inbrott i natt", body="Lås om er."
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


@pytest.fixture
def meeting_in_a(area, area_contact) -> Meeting:
    starts_at = timezone.now() + timedelta(days=7)
    return Meeting.objects.create(
        area=area,
        kind="neighbours",
        title="Grannmöte",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        location="Föreningshuset",
        created_by=area_contact,
    )


@pytest.fixture
def away_notice(area_member) -> AwayNotice:
    today = timezone.localdate()
    return AwayNotice.objects.create(
        household=Household.objects.get(members__user=area_member),
        starts_on=today,
        ends_on=today + timedelta(days=7),
        tell_neighbours=True,
        created_by=area_member,
    )


@pytest.fixture
def observation_in_a(area, area_member, settings, tmp_path) -> Observation:
    """Anna's observation in A, with a photo."""
    settings.MEDIA_ROOT = tmp_path
    observation = Observation.objects.create(
        reporter=area_member,
        municipality=area.municipality,
        area=area,
        category="graffiti",
        observed_at=timezone.now() - timedelta(days=1),
        longitude=(area.min_lon + area.max_lon) / 2,
        latitude=(area.min_lat + area.max_lat) / 2,
        description="Tags on the bus shelter",
    )
    observation.photo.save("photo.png", ContentFile(OBSERVATION_PHOTO), save=True)
    return observation


@pytest.fixture
def same_seen_by_another(observation_in_a, area) -> Observation:
    """The same tags, reported by someone else an hour later: to merge Anna's into."""
    return Observation.objects.create(
        reporter=None,
        municipality=area.municipality,
        area=area,
        category="graffiti",
        observed_at=observation_in_a.observed_at + timedelta(hours=1),
        longitude=observation_in_a.longitude,
        latitude=observation_in_a.latitude,
        description="Klotter på busskuren",
    )


@pytest.fixture
def citizen_promise(municipality) -> CitizenPromise:
    return CitizenPromise.objects.create(municipality=municipality, year=2021)


@pytest.fixture
def sign_in_a(area) -> Sign:
    return Sign.objects.create(
        area=area,
        latitude=(area.min_lat + area.max_lat) / 2,
        longitude=(area.min_lon + area.max_lon) / 2,
        place="Ekvägen",
    )


@pytest.fixture
def public_warning(municipality) -> PublicWarning:
    """A current public warning (VMA) for A's municipality."""
    warning = PublicWarning.objects.create(
        identifier="SRCAP20261204140100I",
        sender="https://vmaapi.sr.se/api/v3",
        sent_at=timezone.now(),
        msg_type="Alert",
        headline="Viktigt meddelande till allmänheten (VMA)",
        description="Det brinner i en lagerbyggnad. Gå inomhus och stäng fönster.",
    )
    warning.municipalities.set([municipality])
    return warning


@pytest.fixture
def public_alert(area, police) -> Alert:
    return sent_public_alert(police, area, title="Inbrottsvåg")


@pytest.fixture
def paper_household_in_a(area) -> PaperHousehold:
    return on_paper(area, names="Åsa Ölund")


@pytest.fixture
def texted_paper_in_a(area) -> PaperHousehold:
    return texted_on_paper(area, names="Per Papper")


@pytest.fixture
def claim_code(paper_household_in_a, area, area_contact) -> str:
    return paper_services.new_claim_code(
        actor=area_contact, paper=paper_household_in_a, area=area
    ).code


@pytest.fixture
def letter_alert(area, police, paper_household_in_a) -> Alert:
    """An alert that went to A after its household on paper joined."""
    return sent_public_alert(police, area, title="Inbrott i natt", is_public=False)


def post_data(row: dict[str, Any], get: Get) -> dict[str, Any]:
    """A row's POST body: its "data", or what its "data" function builds from fixtures."""
    data = row.get("data", {})
    return dict(data(get) if callable(data) else data)


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
    if response.status_code == 302 and location == reverse("mfa_activate_totp"):
        return MFA_SETUP
    return response.status_code


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
