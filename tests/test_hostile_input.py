"""Hostile input: every form and endpoint refuses bad input with a clear message and
writes nothing; what it accepts is shown as text everywhere (pages, e-mail, CSV).

The payloads are in tests/hostile.py; the forms and pages are tables below. A new form
gets a row in FORMS, a new page showing user text a row in PAGES, a new URL its row in
tests/matrix.MATRIX (the CSRF and body-size checks walk that).

Covered elsewhere and not repeated here: alert title/body in e-mail, SMS and pages
(test_alert_escaping), geometry on arbitrary input (test_geometry_properties), SMS
length limits (test_sms_segments), the member list's privacy (test_member_export).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django import forms
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.passkeys import NAME_MAX_LENGTH as PASSKEY_NAME_MAX_LENGTH
from accounts.phone import normalise_mobile_number
from notifications import rendering
from notifications.alerts.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from notifications.preferences.models import Preference
from notifications.tips.models import Tip
from official.police_events.models import PoliceEvent
from official.public_warnings import selectors as public_warnings
from official.public_warnings.models import PublicWarning
from tests import hostile, matrix
from tests.conftest import client_for
from tests.factories import (
    DEFAULT_PASSWORD,
    HouseholdFactory,
    UserFactory,
    WatchAreaFactory,
    alert_for,
    member_of,
    observation_in,
    on_paper,
    resident,
    sent_public_alert,
    square,
)
from tests.passkeys import SoftPasskey
from tests.spreadsheets import read_csv
from watch.community.models import Meeting, Observation
from watch.households import invitations as household_invitations
from watch.households.models import Household, HouseholdMember, Membership, MembershipStatus
from watch.paper import services as paper_services
from watch.paper.models import SaidNo
from watch.roles.models import AreaContact
from watch.spreadsheets import csv_response

pytestmark = pytest.mark.django_db

# The permission matrix's fixtures (pending_request, draft_alert, …) build its URL
# arguments; borrowing all of them keeps new rows there working here.

Get = Callable[[str], Any]
Request = tuple[Client, str, dict[str, Any]]  # who, where, a valid body


def submit(request: Request, **changes: Any) -> Any:
    client, url, data = request
    return client.post(url, {**data, **changes}, follow=True)


def test_the_check_notices_a_write_and_a_queued_mail(nothing_written, member):
    with pytest.raises(AssertionError), nothing_written():
        Tip.objects.create(theme="t", title="t", body="t")
    resident(member, HouseholdFactory())
    with pytest.raises(AssertionError), nothing_written():
        household_invitations.invite_to_household(
            user=member, email="guest@example.org"
        )  # mail only


def assert_shown_as_text(content: str, payload: str = hostile.XSS) -> None:
    assert [marker for marker in hostile.XSS_MARKERS if marker in content] == []
    assert escape(payload) in content


# --- Who uses a URL: the permission matrix's rightful role ------------------------------

CSRF_TOKEN = "hostile0input0csrf0token00000000"  # 32 alphanumerics: a valid unmasked secret
SUCCESS = {200, 302}
# Roles tried in this order for the one that may use the URL.
ROLE_ORDER = ("admin", "coord", "police", "contact_a", "member_a", "member", "anonymous")
# Views that accept a POST without a CSRF token, and why that is safe.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail providers POST with no session; the signed
    # token in the URL is the authority and the only effect is "fewer e-mails".
    "notifications:unsubscribe",
    # The same for invitations to an address without an account; the only effect is
    # "no more invitations" to the address the token names.
    "notifications:stop_invitations",
    # 46elks' handset receipts: the provider posts with no session; the signed delivery id
    # in the URL is the authority and the only effect is a text's delivery to the phone.
    "notifications:sms_receipt",
}


def rightful(name: str) -> str:
    row = matrix.MATRIX[name]
    outcomes = row.get("POST") or row["GET"]
    return next((role for role in ROLE_ORDER if outcomes[role] in SUCCESS), "admin")


# --- Forms: their free-text fields ----------------------------------------------------------

ADDRESS = {
    "street_address": "Marieholmsgatan 3",
    "postal_code": "54231",
    "town": "Mariestad",
    "longitude": "13.8345",
    "latitude": "58.7172",
}


def area_body(get: Get) -> dict[str, Any]:
    return {
        "municipality": get("municipality").pk,
        "name": "Sjöstaden",
        "status": "active",
        "boundary": json.dumps(square(13.95, 58.75)),
        "description": "Villor vid sjön.",
    }


# The composer's steps (notifications/alerts/forms.py): What, Who and When.
def alert_body(get: Get) -> dict[str, Any]:
    return {
        "kind": "police_alert",
        "severity": "normal",
        "title": "Bilinbrott",
        "body": "Flera bilar har brutits upp i natt.",
        # A version in another language, checked as the Swedish text is.
        "title_en": "Car break-ins",
        "body_en": "Several cars were broken into last night.",
    }


# The text fields of the composer's What step: the Swedish text and a version.
ALERT_TEXT_LIMITS = {
    "title": TITLE_MAX_LENGTH,
    "body": BODY_MAX_LENGTH,
    "title_en": TITLE_MAX_LENGTH,
    "body_en": BODY_MAX_LENGTH,
}


def alert_targets(get: Get) -> dict[str, Any]:
    return {"target_kind": "areas", "target_areas": [get("area").pk]}


def alert_times(get: Get) -> dict[str, Any]:
    return {"send": "now"}


def polices_draft(get: Get) -> list[Any]:
    return [get("police_draft").pk]


@pytest.fixture
def police_draft(police, area) -> Any:
    """A draft of the police officer's, to A: the composer's later steps work on it."""
    return alert_for(police, area)


@pytest.fixture
def members_passkey(member) -> Any:
    return SoftPasskey(member).store(member)


TIP = {"theme": "Inbrott", "title": "Lås dörren", "body": "Även när du är hemma."}


@dataclass(frozen=True)
class FormCase:
    url: str
    actor: str | None  # fixture name; None posts anonymously
    data: Callable[[Get], dict[str, Any]]
    limits: dict[str, int]  # free-text field → its maximum length
    args: Callable[[Get], list[Any]] = field(default=lambda get: [])
    # allauth asks for the password again before a change to how one logs in.
    reauthenticate: bool = False

    def prepare(self, get: Get) -> Request:
        """Everything but the POST, so that building it does not count as a write."""
        client = client_for(get(self.actor)) if self.actor else Client()
        if self.reauthenticate:
            client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
        return client, reverse(self.url, args=self.args(get)), self.data(get)


def from_matrix(name: str, limits: dict[str, int]) -> FormCase:
    """A form whose valid body and rightful user are already in the permission matrix."""
    row = matrix.MATRIX[name]
    return FormCase(
        name,
        matrix.ROLES[rightful(name)],
        lambda get: matrix.post_data(row, get),
        limits,
        args=row.get("args", lambda get: []),
    )


FORMS: dict[str, FormCase] = {
    "household": FormCase(
        "watch:household_edit",
        "member",
        lambda get: ADDRESS,
        {"street_address": 200, "town": 100},
    ),
    "area-create": FormCase(
        "watch:area_create", "coordinator", area_body, {"name": 120, "description": 4000}
    ),
    "area-edit": FormCase(
        "watch:area_edit",
        "coordinator",
        area_body,
        {"name": 120, "description": 4000},
        args=matrix.area_a,
    ),
    "decline": FormCase(
        "watch:decline",
        "area_contact",
        lambda get: {"reason": "Utanför området"},
        {"reason": 500},
        args=matrix.pending_in_a,
    ),
    "remove": FormCase(
        "watch:remove",
        "area_contact",
        lambda get: {"reason": "Flyttat"},
        {"reason": 500},
        args=matrix.approved_in_a,
    ),
    "alert": FormCase("notifications:alert_create", "police", alert_body, ALERT_TEXT_LIMITS),
    "alert-edit": FormCase(
        "notifications:alert_edit", "police", alert_body, ALERT_TEXT_LIMITS, args=polices_draft
    ),
    "alert-who": FormCase("notifications:alert_who", "police", alert_targets, {}, polices_draft),
    "alert-when": FormCase("notifications:alert_when", "police", alert_times, {}, polices_draft),
    "tip-add": FormCase(
        "notifications:tip_list",
        "coordinator",
        lambda get: TIP,
        {"theme": 80, "title": TITLE_MAX_LENGTH, "body": BODY_MAX_LENGTH},
    ),
    "tip-edit": FormCase(
        "notifications:tip_edit",
        "coordinator",
        lambda get: TIP,
        {"theme": 80, "title": TITLE_MAX_LENGTH, "body": BODY_MAX_LENGTH},
        args=matrix.library_tip,
    ),
    "profile": FormCase(
        "accounts:profile",
        "member",
        lambda get: {"full_name": "Maja Medlem", "phone": "", "language": "en"},
        {"full_name": 150},
    ),
    "signup": FormCase(
        "account_signup",
        None,
        lambda get: {
            "email": "nova@example.org",
            "full_name": "Nova Granne",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
        {"full_name": 150},
    ),
    "signup-by-passkey": FormCase(
        "account_signup_by_passkey",
        None,
        lambda get: {"email": "nova@example.org", "full_name": "Nova Granne"},
        {"full_name": 150},
    ),
    "passkey-rename": FormCase(
        "mfa_edit_webauthn",
        "member",
        lambda get: {"name": "Min telefon"},
        {"name": PASSKEY_NAME_MAX_LENGTH},
        args=lambda get: [get("members_passkey").pk],
        reauthenticate=True,
    ),
    "meeting": from_matrix(
        "watch:meeting_create", {"title": 140, "location": 200, "description": 4000}
    ),
    "away-notice": FormCase(
        "watch:away_notices",
        "area_member",
        lambda get: {
            "starts_on": f"{dt.date.today() + dt.timedelta(days=3)}",
            "ends_on": f"{dt.date.today() + dt.timedelta(days=10)}",
        },
        {"note": 300},
    ),
    "observation": from_matrix("watch:observation_report", {"description": 4000}),
    "alert-answer": from_matrix("notifications:alert_answer", {"text": 2000}),
    "conversation-answer": from_matrix("notifications:conversation", {"text": 2000}),
    "observation-status": from_matrix("watch:observation_status", {"message": 2000}),
    "municipality-page": from_matrix("watch:municipality_edit", {"how_to_start": 4000}),
    "promise": from_matrix("watch:promise_create", {"introduction": 4000}),
    "sign": from_matrix("watch:area_signs", {"place": 120}),
    "sign-edit": from_matrix("watch:sign_edit", {"place": 120}),
    "sign-report": from_matrix("watch:sign_report", {"note": 300}),
    "paper-household": from_matrix(
        "watch:paper_register", {"names": 300, "street_address": 200, "town": 100}
    ),
    "paper-phone": from_matrix("watch:paper_phone", {}),
}
TEXT_FIELDS = [
    pytest.param(case, name, limit, id=f"{case}-{name}")
    for case, form in FORMS.items()
    for name, limit in form.limits.items()
]


# Fields that are one line: a title, a name, an address (config.validators.single_line).
SINGLE_LINE_FIELDS = [
    pytest.param(case, name, id=f"{case}-{name}")
    for case, names in {
        "household": ("street_address", "town"),
        "area-create": ("name",),
        "area-edit": ("name",),
        "alert": ("title", "title_en"),
        "alert-edit": ("title", "title_en"),
        "tip-add": ("theme", "title"),
        "tip-edit": ("theme", "title"),
        "profile": ("full_name",),
        "signup": ("full_name",),
        "signup-by-passkey": ("full_name",),
        "passkey-rename": ("name",),
        "meeting": ("title", "location"),
        "paper-household": ("names", "street_address", "town"),
    }.items()
    for name in names
]


@pytest.fixture
def get(request, area_member) -> Get:
    """getfixturevalue, with A's member present (several rows need her)."""
    return request.getfixturevalue


@pytest.mark.parametrize(("case", "name", "limit"), TEXT_FIELDS)
def test_overlong_text_is_refused_naming_the_limit(get, nothing_written, case, name, limit):
    request = FORMS[case].prepare(get)

    with nothing_written():
        response = submit(request, **{name: "x" * (limit + 1)})

    assert response.status_code == 200
    assert f"at most {limit} characters" in response.content.decode()


@pytest.mark.parametrize(("case", "name", "limit"), TEXT_FIELDS)
def test_null_characters_are_refused(get, nothing_written, case, name, limit):
    request = FORMS[case].prepare(get)

    with nothing_written():
        response = submit(request, **{name: "Gata\x001"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize(("case", "name"), SINGLE_LINE_FIELDS)
@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\u2028"], ids=["crlf", "lf", "ls"])
def test_line_breaks_in_a_one_line_field_are_refused(get, nothing_written, case, name, line_break):
    request = FORMS[case].prepare(get)

    with nothing_written():
        response = submit(request, **{name: f"Storgatan 1{line_break}Bcc: alla"})

    assert response.status_code == 200
    assert "Write this on one line: remove the line breaks." in response.content.decode()


@pytest.mark.parametrize(("case", "name", "limit"), TEXT_FIELDS)
def test_html_typed_into_a_field_never_comes_back_as_markup(get, case, name, limit):
    response = submit(FORMS[case].prepare(get), **{name: hostile.XSS})

    assert response.redirect_chain  # accepted: it is only text
    content = response.content.decode()
    assert [marker for marker in hostile.XSS_MARKERS if marker in content] == []


# --- Pages, e-mail and CSV show free text as text -------------------------------------------


@pytest.fixture
def hostile_world(municipality, coordinator) -> dict[str, Any]:
    """An area where every free-text field anyone can fill holds the payload."""
    area = WatchAreaFactory(municipality=municipality, name=f"Öster {hostile.XSS}")
    area.description = hostile.XSS
    area.save()
    contact = member_of(area, full_name=hostile.XSS)
    AreaContact.objects.create(area=area, user=contact, is_main=True)
    neighbour = member_of(area, full_name=f"Nils {hostile.XSS}")
    household = neighbour.household_member.household
    household.street_address, household.town = hostile.XSS, hostile.XSS
    household.save()
    HouseholdMember.objects.filter(user=neighbour).update(share_contact_details=True)
    Membership.objects.create(
        household=household,
        area=area,
        status=MembershipStatus.DECLINED,
        requested_by=neighbour,
        reason=hostile.XSS,
    )
    applicant = UserFactory(full_name=f"Sam {hostile.XSS}")
    applying = HouseholdFactory.inside(area, street_address=f"Gata {hostile.XSS}")
    resident(applicant, applying)
    pending = Membership.objects.create(household=applying, area=area, requested_by=applicant)
    tip = Tip.objects.create(theme=hostile.XSS, title=hostile.XSS, body=hostile.XSS)
    municipality.how_to_start = hostile.XSS
    municipality.save()
    starts_at = timezone.now() + dt.timedelta(days=7)
    meeting = Meeting.objects.create(
        area=area,
        kind="neighbours",
        title=hostile.XSS,
        location=hostile.XSS,
        description=hostile.XSS,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )
    Observation.objects.create(
        reporter=neighbour,
        municipality=municipality,
        area=area,
        category="graffiti",
        observed_at=timezone.now(),
        longitude=household.longitude,
        latitude=household.latitude,
        description=hostile.XSS,
    )
    earlier = sent_public_alert(coordinator, area, title=hostile.XSS, body=hostile.XSS)
    draft = alert_for(coordinator, area, title=hostile.XSS, body=hostile.XSS, refers_to=earlier)
    event = PoliceEvent.objects.create(
        police_id=1,
        municipality=municipality,
        happened_at=timezone.now(),
        name=hostile.XSS,
        summary=hostile.XSS,
        url="https://polisen.se/aktuellt/handelser/1/",
        type=hostile.XSS,
    )
    warning = PublicWarning.objects.create(
        identifier=hostile.XSS,
        sender=hostile.XSS,
        sent_at=timezone.now(),
        msg_type="Alert",
        headline=hostile.XSS,
        description=hostile.XSS,
        instruction=hostile.XSS,
        sender_name=hostile.XSS,
        area_description=hostile.XSS,
    )
    warning.municipalities.set([municipality])
    public_warnings.publish_current()  # the banner on every page
    paper = on_paper(area, names=hostile.XSS, consent_by=contact)
    Household.objects.filter(pk=paper.household_id).update(street_address=hostile.XSS)
    SaidNo.objects.create(
        area=area, street_address=hostile.XSS, postal_code="542 30", town=hostile.XSS
    )
    return {
        "paper": paper,
        "municipality": municipality,
        "police_event": event,
        "public_warning": warning,
        "draft": draft,
        "meeting": meeting,
        "area": area,
        "contact": contact,
        "neighbour": neighbour,
        "pending": pending,
        "tip": tip,
        "coordinator": coordinator,
    }


# (page, who looks, URL arguments) — every page that shows text someone else typed.
PAGES: list[tuple[str, str | None, Callable[[dict[str, Any]], list[Any]]]] = [
    ("watch:area_list", None, lambda w: []),
    ("watch:area_detail", None, lambda w: [w["area"].pk]),
    ("watch:household", "neighbour", lambda w: []),
    ("watch:household_edit", "neighbour", lambda w: []),
    ("accounts:profile", "neighbour", lambda w: []),
    ("watch:manage", "contact", lambda w: []),
    ("watch:manage_area", "contact", lambda w: [w["area"].pk]),
    ("watch:members_print", "contact", lambda w: [w["area"].pk]),
    ("watch:decline", "contact", lambda w: [w["pending"].pk]),
    ("watch:area_edit", "coordinator", lambda w: [w["area"].pk]),
    ("watch:area_contacts", "coordinator", lambda w: [w["area"].pk]),
    ("notifications:tip_list", "coordinator", lambda w: []),
    ("notifications:tip_edit", "coordinator", lambda w: [w["tip"].pk]),
    ("notifications:tip_schedule", "coordinator", lambda w: [w["tip"].pk]),
    ("notifications:alert_edit", "coordinator", lambda w: [w["draft"].pk]),
    ("notifications:alert_who", "coordinator", lambda w: [w["draft"].pk]),
    ("notifications:alert_when", "coordinator", lambda w: [w["draft"].pk]),
    ("notifications:alert_detail", "coordinator", lambda w: [w["draft"].pk]),  # Check
    ("notifications:alert_email", "coordinator", lambda w: [w["draft"].pk]),
    ("notifications:alert_list", "coordinator", lambda w: []),
    ("watch:municipality", None, lambda w: [w["municipality"].slug]),
    ("watch:municipality_edit", "coordinator", lambda w: [w["municipality"].slug]),
    ("watch:meeting_edit", "contact", lambda w: [w["meeting"].pk]),
    ("watch:observation_list", "contact", lambda w: []),
    ("watch:home", "coordinator", lambda w: []),  # the police's events
    ("watch:home", "neighbour", lambda w: []),
    ("official:public_warning", None, lambda w: [w["public_warning"].pk]),
    ("watch:paper_household", "contact", lambda w: [w["paper"].pk]),
    ("watch:paper_letters", "contact", lambda w: [w["area"].pk]),  # the earlier alert
    ("watch:household_list", "contact", lambda w: [w["area"].pk]),
]


@pytest.mark.parametrize(
    ("page", "viewer", "args"), [pytest.param(*row, id=row[0]) for row in PAGES]
)
def test_pages_show_free_text_escaped(hostile_world, page, viewer, args):
    client = client_for(hostile_world[viewer]) if viewer else Client()

    response = client.get(reverse(page, args=args(hostile_world)))

    assert response.status_code == 200
    assert_shown_as_text(response.content.decode())


def test_composer_prefilled_from_a_tip_escapes_it(hostile_world, police):
    url = reverse("notifications:alert_create") + f"?tip={hostile_world['tip'].pk}"

    response = client_for(police).get(url)

    assert_shown_as_text(response.content.decode())


def test_composer_prefilled_from_a_police_event_escapes_it(hostile_world):
    url = reverse("notifications:alert_create")
    query = {"police_event": hostile_world["police_event"].pk}

    response = client_for(hostile_world["coordinator"]).get(url, query)

    assert_shown_as_text(response.content.decode())


def assert_e_mail_is_safe(message: Any, payload: str = hostile.XSS) -> None:
    """Text part: the words as typed (plain text); HTML part: escaped; subject: one line."""
    html = message.alternatives[0][0]
    assert payload in message.body
    assert_shown_as_text(html, payload)
    assert "\n" not in message.subject
    assert "\r" not in message.subject


def test_decline_reason_and_area_name_are_escaped_in_the_e_mail(
    hostile_world, django_capture_on_commit_callbacks
):
    contact, pending = hostile_world["contact"], hostile_world["pending"]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(contact).post(
            reverse("watch:decline", args=[pending.pk]), {"reason": hostile.XSS}
        )

    (message,) = mail.outbox
    assert_e_mail_is_safe(message)
    assert hostile.XSS in message.subject  # the area's name, as text


def test_removal_reason_is_escaped_in_the_e_mail(hostile_world, django_capture_on_commit_callbacks):
    membership = Membership.objects.get(
        household__members__user=hostile_world["neighbour"], status=MembershipStatus.APPROVED
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(hostile_world["contact"]).post(
            reverse("watch:remove", args=[membership.pk]), {"reason": f"Skäl: {hostile.XSS}"}
        )

    (message,) = mail.outbox
    assert_e_mail_is_safe(message, f"Skäl: {hostile.XSS}")


def test_inviter_name_and_address_are_escaped_in_the_invitation(
    hostile_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(hostile_world["neighbour"]).post(
            reverse("watch:household_invite"), {"email": "guest@example.org"}
        )

    (message,) = mail.outbox
    assert_e_mail_is_safe(message)
    assert f"Nils {hostile.XSS}" in message.body


def test_area_name_is_escaped_in_the_join_and_appointment_mails(
    hostile_world, member, django_capture_on_commit_callbacks
):
    area = hostile_world["area"]
    resident(member, HouseholdFactory.inside(area))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(reverse("watch:join", args=[area.pk]))
        client_for(hostile_world["coordinator"]).post(
            reverse("watch:area_contacts", args=[area.pk]), {"email": member.email}
        )

    assert len(mail.outbox) == 2  # the contact is told of the request; the member appointed
    for message in mail.outbox:
        assert_e_mail_is_safe(message, area.name)


@pytest.mark.parametrize("formula", hostile.FORMULAS)
def test_every_csv_cell_a_member_can_type_is_neutralised(area_contact, area, formula):
    user = member_of(area, full_name=formula)
    HouseholdMember.objects.filter(user=user).update(share_contact_details=True)
    user.household_member.household.__class__.objects.filter(
        pk=user.household_member.household_id
    ).update(street_address=formula, town=formula)

    response = client_for(area_contact).get(reverse("watch:members_csv", args=[area.pk]))

    (row,) = [row for row in read_csv(response)[1:] if row[3].endswith(formula)]
    assert [row[0], row[2], row[3]] == [f"'{formula}"] * 3


@pytest.mark.parametrize("formula", hostile.FORMULAS + hostile.FORMULA_EMAILS)
def test_every_csv_download_neutralises_formulas(formula):
    # Every export (members, observations, statistics) is written by csv_response.
    response = csv_response(filename="x.csv", header=[formula], rows=[[formula, 1]])

    assert read_csv(response) == [[f"'{formula}"], [f"'{formula}", "1"]]


@pytest.mark.parametrize("email", hostile.FORMULA_EMAILS)
def test_e_mail_addresses_that_look_like_formulas_are_neutralised(area_contact, area, email):
    user = member_of(area, email=email)
    HouseholdMember.objects.filter(user=user).update(share_contact_details=True)

    response = client_for(area_contact).get(reverse("watch:members_csv", args=[area.pk]))

    assert f"'{email}" in [row[4] for row in read_csv(response)[1:]]


# --- GeoJSON, pins and circles --------------------------------------------------------------

BOUNDARIES = [pytest.param(raw, message, id=name) for name, raw, message in hostile.BAD_BOUNDARIES]


@pytest.mark.parametrize(("raw", "message"), BOUNDARIES)
def test_bad_boundary_for_a_new_area(get, nothing_written, raw, message):
    request = FORMS["area-create"].prepare(get)

    with nothing_written():
        response = submit(request, boundary=raw)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(("raw", "message"), BOUNDARIES)
def test_bad_boundary_file_for_a_new_area(get, nothing_written, raw, message):
    request = FORMS["area-create"].prepare(get)
    upload = SimpleUploadedFile("area.geojson", raw.encode("utf-8", "surrogatepass"))
    # A file's size is checked before its text is read, and named as a file's limit.
    if message.startswith("The boundary is too large"):
        message = "a boundary file can be at most"

    with nothing_written():
        response = submit(request, boundary="", boundary_file=upload)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(("raw", "message"), BOUNDARIES)
def test_bad_boundary_for_an_existing_area(get, nothing_written, raw, message):
    request = FORMS["area-edit"].prepare(get)

    with nothing_written():
        response = submit(request, boundary=raw)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(("raw", "message"), BOUNDARIES)
def test_bad_incident_shape_for_an_alert(get, nothing_written, raw, message):
    request = FORMS["alert-who"].prepare(get)

    with nothing_written():
        response = submit(request, target_kind="shape", shape=raw)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("pin", "message"),
    [pytest.param(pin, message, id=name) for name, pin, message in hostile.BAD_PINS],
)
def test_bad_household_pin(get, nothing_written, pin, message):
    request = FORMS["household"].prepare(get)

    with nothing_written():
        response = submit(request, **pin)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "question",
    [pytest.param(question, id=name) for name, question in hostile.BAD_NEARBY_QUESTIONS],
)
def test_bad_questions_for_reports_nearby_are_refused_showing_nothing(
    get, nothing_written, question
):
    observation_in(get("area"))  # there is something a question could find
    client = client_for(get("area_member"))

    with nothing_written():
        response = client.get(reverse("watch:observation_nearby"), question)

    assert response.status_code == 400
    assert response.content == b""


@pytest.mark.parametrize(
    ("circle", "message"),
    [pytest.param(circle, message, id=name) for name, circle, message in hostile.BAD_CIRCLES],
)
def test_bad_incident_circle(get, nothing_written, circle, message):
    request = FORMS["alert-who"].prepare(get)

    with nothing_written():
        response = submit(request, target_kind="shape", **{**hostile.CIRCLE, **circle})

    assert response.status_code == 200
    assert message in response.content.decode()


# --- The composer's steps: what a sender could post besides text ----------------------------

# (id, fields over a valid Who step, message fragment)
BAD_TARGETS: list[tuple[str, Callable[[Get], dict[str, Any]], str]] = [
    (
        "another-municipalitys-area",
        lambda get: {"target_areas": [get("area_c").pk]},
        "valid choice",
    ),
    ("no-such-area", lambda get: {"target_areas": ["999999"]}, "Select a valid choice"),
    ("not-an-id", lambda get: {"target_areas": ["Marieholm"]}, "is not a valid value"),
    ("an-id-past-64-bits", lambda get: {"target_areas": [str(10**30)]}, "valid"),
    ("a-negative-id", lambda get: {"target_areas": ["-1"]}, "Select a valid choice"),
    ("no-way-of-choosing", lambda get: {"target_kind": ""}, "This field is required."),
    ("an-unknown-way", lambda get: {"target_kind": "everyone"}, "Select a valid choice"),
    (
        "another-municipality",
        lambda get: {
            "target_kind": "municipalities",
            "target_municipalities": [get("other_municipality").pk],
        },
        "Select a valid choice",
    ),
]


@pytest.mark.parametrize(
    ("fields", "message"),
    [pytest.param(fields, message, id=name) for name, fields, message in BAD_TARGETS],
)
def test_bad_targets_are_refused(get, nothing_written, fields, message):
    request = FORMS["alert-who"].prepare(get)
    changes = fields(get)

    with nothing_written():
        response = submit(request, **changes)

    assert response.status_code == 200
    assert message in response.content.decode()


# (id, the When step's fields, message fragment)
BAD_TIMES: list[tuple[str, dict[str, str], str]] = [
    ("later-without-a-time", {"send": "later"}, "Choose when to send it."),
    ("later-in-the-past", {"send": "later", "publish_at": "2001-01-01T10:00"}, "in the future"),
    ("not-a-time", {"send": "later", "publish_at": "tomorrow"}, "Enter a valid date/time."),
    ("30-february", {"send": "later", "publish_at": "2030-02-30T10:00"}, "valid date/time"),
    ("year-10000", {"send": "later", "publish_at": "10000-01-01T10:00"}, "valid date/time"),
    ("expired-already", {"send": "now", "expires_at": "2001-01-01T10:00"}, "valid after it is"),
    ("an-unknown-when", {"send": "yesterday"}, "Select a valid choice"),
    ("cancels-nothing", {"send": "now", "cancels_original": "on"}, "Choose the earlier alert"),
    ("refers-to-nothing", {"send": "now", "refers_to": "999999"}, "Select a valid choice"),
    ("refers-past-64-bits", {"send": "now", "refers_to": str(10**30)}, "Select a valid choice"),
]


@pytest.mark.parametrize(
    ("fields", "message"),
    [pytest.param(fields, message, id=name) for name, fields, message in BAD_TIMES],
)
def test_bad_times_are_refused(get, nothing_written, fields, message):
    client, url, _data = FORMS["alert-when"].prepare(get)

    with nothing_written():
        response = submit((client, url, fields))

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("value", ["x", "-1", str(10**30), "1" * 5000])
def test_the_composers_entry_points_take_any_id(get, value):
    # "Send this tip" and "Send an update or correction" links, edited by hand.
    client = client_for(get("police"))
    for name in ("tip", "refers_to", "police_event"):
        response = client.get(reverse("notifications:alert_create"), {name: value})

        assert response.status_code == 200


def test_a_follow_up_of_someone_elses_draft_is_refused(get, nothing_written):
    # The hidden field of "Send an update or correction", pointed at a draft the police
    # officer cannot see (the contact's).
    request = FORMS["alert"].prepare(get)
    hidden_draft = get("draft_alert").pk

    with nothing_written():
        response = submit(request, refers_to=str(hidden_draft))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


# --- Phone numbers and e-mail addresses -----------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "message"),
    [pytest.param(phone, message, id=name) for name, phone, message in hostile.BAD_PHONES],
)
@pytest.mark.parametrize("case", ["profile", "paper-household", "paper-phone"])
def test_forms_refuse_what_is_not_a_mobile_number(get, nothing_written, case, phone, message):
    request = FORMS[case].prepare(get)

    with nothing_written():
        response = submit(request, phone=phone)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()


# Every form with an e-mail field: (URL name, who posts, URL arguments, other fields).
EMAIL_FORMS = [
    ("watch:household_invite", "area_member", lambda get: [], {}),
    ("watch:area_invite", "area_contact", matrix.area_a, {}),
    ("watch:area_contacts", "coordinator", matrix.area_a, {}),
    ("account_signup", None, lambda get: [], FORMS["signup"].data(lambda name: None)),
]


@pytest.mark.parametrize(
    ("url", "actor", "args", "other"), [pytest.param(*row, id=row[0]) for row in EMAIL_FORMS]
)
@pytest.mark.parametrize(("email"), [pytest.param(e, id=name) for name, e in hostile.BAD_EMAILS])
def test_e_mail_fields_refuse_what_is_not_an_address(
    get, nothing_written, url, actor, args, other, email
):
    client = client_for(get(actor)) if actor else Client()
    request = (client, reverse(url, args=args(get)), other)

    with nothing_written():
        response = submit(request, email=email)

    assert response.status_code == 200
    content = response.content.decode()
    assert any(
        refusal in content
        for refusal in ("Enter a valid email address.", "at most 320 characters", "at most 254")
    )
    assert [marker for marker in hostile.XSS_MARKERS if marker in content] == []


# --- Forged, expired and misused tokens -----------------------------------------------------


def tampered(token: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> str:
    """``token`` with its payload changed and its signature kept: what an attacker can do."""
    payload, *rest = token.split(":")
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload) % 4))
    data = json.loads(zlib.decompress(raw) if compressed else raw)
    encoded = json.dumps(change(data), separators=(",", ":")).encode()
    new = base64.urlsafe_b64encode(zlib.compress(encoded) if compressed else encoded)
    return ":".join(["." * compressed + new.decode().rstrip("="), *rest])


def unsubscribe_tokens(get: Get) -> dict[str, str]:
    user = get("area_member")
    good = rendering.unsubscribe_token(user.pk, "tip")
    other = UserFactory()
    other.is_active = False
    other.save()
    sign = lambda data: signing.dumps(data, salt=rendering.UNSUBSCRIBE_SALT)  # noqa: E731
    return {
        "forged-signature": good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
        "tampered-user-id": tampered(good, lambda data: {**data, "u": get("member").pk}),
        "other-salt": signing.dumps(
            {"u": user.pk, "k": "tip"}, salt=household_invitations._INVITATION_SALT
        ),
        "invitation-token": get("invitation_token"),
        "unknown-kind": rendering.unsubscribe_token(user.pk, "birthday"),
        "unknown-user": rendering.unsubscribe_token(10**9, "tip"),
        "inactive-user": rendering.unsubscribe_token(other.pk, "tip"),
        "user-id-not-a-number": sign({"u": "anna", "k": "tip"}),
        "payload-not-an-object": sign(["anna", "tip"]),
        "payload-missing-kind": sign({"u": user.pk}),
        "not-a-token": "hello",
    }


UNSUBSCRIBE_CASES = [
    "forged-signature",
    "tampered-user-id",
    "other-salt",
    "invitation-token",
    "unknown-kind",
    "unknown-user",
    "inactive-user",
    "user-id-not-a-number",
    "payload-not-an-object",
    "payload-missing-kind",
    "not-a-token",
]


@pytest.mark.parametrize("case", UNSUBSCRIBE_CASES)
def test_bad_unsubscribe_tokens_change_nothing(get, nothing_written, case):
    token = unsubscribe_tokens(get)[case]

    with nothing_written():
        response = Client().post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_an_old_unsubscribe_link_still_works(area_member):
    # Deliberate: a link in a years-old e-mail must still stop the e-mails (RFC 8058).
    with time_machine.travel(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)):
        token = rendering.unsubscribe_token(area_member.pk, "tip")

    response = Client().post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 200
    assert not Preference.objects.get(user=area_member, kind="tip").email


def invitation_tokens(get: Get) -> dict[str, str]:
    area, inviter = get("area"), get("area_contact")
    invitation = household_invitations.Invitation("area", area.pk, "guest@example.org", inviter.pk)
    good = household_invitations._invitation_token(invitation)
    sign = lambda data: signing.dumps(data, salt=household_invitations._INVITATION_SALT)  # noqa: E731
    with time_machine.travel(
        dt.datetime.now(dt.UTC) - household_invitations.INVITATION_MAX_AGE * 2
    ):
        expired = household_invitations._invitation_token(invitation)
    return {
        "forged-signature": good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
        "tampered-inviter": tampered(good, lambda data: {**data, "inviter_id": get("police").pk}),
        "tampered-area": tampered(good, lambda data: {**data, "target_id": get("area_b").pk}),
        "expired": expired,
        "unsubscribe-token": rendering.unsubscribe_token(inviter.pk, "tip"),
        "unknown-kind": sign({**invitation.__dict__, "kind": "municipality"}),
        "missing-field": sign({"kind": "area", "target_id": area.pk}),
        "payload-not-an-object": sign(["area", area.pk]),
        "unknown-area": sign({**invitation.__dict__, "target_id": 10**9}),
        "not-a-token": "hello",
    }


INVITATION_CASES = {
    "forged-signature": "not valid",
    "tampered-inviter": "not valid",
    "tampered-area": "not valid",
    "expired": "expired",
    "unsubscribe-token": "not valid",
    "unknown-kind": "not valid",
    "missing-field": "not valid",
    "payload-not-an-object": "not valid",
    "unknown-area": "not valid",
    "not-a-token": "not valid",
}


@pytest.mark.parametrize(("case", "message"), INVITATION_CASES.items())
def test_bad_invitation_tokens_change_nothing(get, nothing_written, case, message):
    guest = _guest(get, with_household=True)
    request = (guest, reverse("watch:invitation", args=[invitation_tokens(get)[case]]), {})

    with nothing_written():
        response = submit(request)

    assert response.status_code in (200, 400)
    assert message in response.content.decode()


# --- Replayed POSTs -------------------------------------------------------------------------


def replay_approve(get: Get) -> tuple[Client, str, dict]:
    return (
        client_for(get("area_contact")),
        reverse("watch:approve", args=matrix.pending_in_a(get)),
        {},
    )


def replay_decline(get: Get) -> tuple[Client, str, dict]:
    url = reverse("watch:decline", args=matrix.pending_in_a(get))
    return client_for(get("area_contact")), url, {"reason": "Nej"}


def replay_remove(get: Get) -> tuple[Client, str, dict]:
    url = reverse("watch:remove", args=matrix.approved_in_a(get))
    return client_for(get("area_contact")), url, {"reason": "Flyttat"}


def replay_alert_send(get: Get) -> tuple[Client, str, dict]:
    alert = alert_for(get("police"), get("area"))
    return client_for(get("police")), reverse("notifications:alert_send", args=[alert.pk]), {}


def replay_alert_cancel(get: Get) -> tuple[Client, str, dict]:
    url = reverse("notifications:alert_cancel", args=[get("draft_alert").pk])
    return client_for(get("area_contact")), url, {}


def _guest(get: Get, *, with_household: bool) -> Client:
    guest = UserFactory(email="guest@example.org")
    if with_household:
        resident(guest, HouseholdFactory.inside(get("area")))
    return client_for(guest)


def replay_household_invitation(get: Get) -> tuple[Client, str, dict]:
    household = get("area_member").household_member.household
    invitation = household_invitations.Invitation(
        "household", household.pk, "guest@example.org", get("area_member").pk
    )
    url = reverse("watch:invitation", args=[household_invitations._invitation_token(invitation)])
    return _guest(get, with_household=False), url, {}


def replay_area_invitation(get: Get) -> tuple[Client, str, dict]:
    invitation = household_invitations.Invitation(
        "area", get("area").pk, "guest@example.org", get("area_contact").pk
    )
    url = reverse("watch:invitation", args=[household_invitations._invitation_token(invitation)])
    return _guest(get, with_household=True), url, {}


def replay_join(get: Get) -> tuple[Client, str, dict]:
    return _guest(get, with_household=True), reverse("watch:join", args=matrix.area_a(get)), {}


def replay_appoint(get: Get) -> tuple[Client, str, dict]:
    url = reverse("watch:area_contacts", args=matrix.area_a(get))
    return client_for(get("coordinator")), url, {"email": get("area_member").email}


def replay_remove_contact(get: Get) -> tuple[Client, str, dict]:
    url = reverse("watch:contact_remove", args=matrix.contact_of_a(get))
    return client_for(get("coordinator")), url, {}


def replay_unsubscribe(get: Get) -> tuple[Client, str, dict]:
    return Client(), reverse("notifications:unsubscribe", args=matrix.unsubscribe_token(get)), {}


def replay_unschedule(get: Get) -> tuple[Client, str, dict]:
    url = reverse("notifications:tip_unschedule", args=matrix.yearly_tip(get))
    return client_for(get("coordinator")), url, {}


REPLAYS = {
    "approve": replay_approve,
    "decline": replay_decline,
    "remove": replay_remove,
    "send-alert": replay_alert_send,
    "cancel-alert": replay_alert_cancel,
    "accept-household-invitation": replay_household_invitation,
    "accept-area-invitation": replay_area_invitation,
    "join": replay_join,
    "appoint-contact": replay_appoint,
    "remove-contact": replay_remove_contact,
    "unsubscribe": replay_unsubscribe,
    "unschedule-tip": replay_unschedule,
}


@pytest.mark.parametrize("case", REPLAYS)
def test_a_replayed_post_does_nothing_more(
    get, nothing_written, django_capture_on_commit_callbacks, case
):
    client, url, data = request = REPLAYS[case](get)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
    assert first.status_code in (200, 302)

    with nothing_written():
        again = submit(request)

    assert again.status_code in (200, 404)


# --- CSRF and request size, on every URL of the permission matrix ---------------------------


def matrix_request(get: Get, name: str, *, token: bool) -> Request:
    """A POST to ``name`` by a role that may use it, with or without a CSRF token."""
    row = matrix.MATRIX[name]
    url = reverse(name, args=row.get("args", lambda get: [])(get))
    client = Client(enforce_csrf_checks=True)
    if (role := matrix.ROLES[rightful(name)]) is not None:
        client.force_login(get(role))
    client.cookies["csrftoken"] = CSRF_TOKEN
    data = matrix.post_data(row, get)
    if token:
        data["csrfmiddlewaretoken"] = CSRF_TOKEN
    return client, url, data


CHECKED_URLS = [name for name in matrix.MATRIX if name not in CSRF_EXEMPT]


@pytest.mark.parametrize("name", CHECKED_URLS)
def test_post_without_csrf_token_is_refused(get, nothing_written, name):
    request = matrix_request(get, name, token=False)

    with nothing_written():
        response = submit(request)

    assert response.status_code == 403


def test_the_csrf_token_of_these_tests_is_accepted(get):
    # The control for the test above: the same request with the token goes through.
    response = submit(matrix_request(get, "watch:area_invite", token=True))

    assert response.status_code == 200
    assert "The invitation has been sent." in response.content.decode()


def test_only_the_listed_views_are_csrf_exempt():
    exempt = {
        name or route
        for route, name, view in matrix.walk(get_resolver())
        if getattr(view, "csrf_exempt", False)
    }

    assert exempt == CSRF_EXEMPT


@pytest.mark.parametrize("name", CHECKED_URLS)
def test_a_body_over_the_upload_limit_is_refused(get, nothing_written, settings, name):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    request = matrix_request(get, name, token=True)

    with nothing_written():
        response = submit(request, padding="x" * 20_000)

    assert response.status_code == 413  # too large: the site's own page (config/errors.py)


def test_too_many_fields_are_refused(get, nothing_written):
    request = matrix_request(get, "notifications:alert_create", token=True)

    with nothing_written():
        response = submit(request, target_areas=list(range(2_000)))

    assert response.status_code == 400


# --- Properties: phone numbers and e-mail addresses -----------------------------------------

fast = hypothesis_settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Swedish mobile numbers: 07 then 0, 2, 3, 6 or 9, then seven digits.
swedish_mobiles = st.builds(
    lambda second, rest: f"7{second}{rest}",
    st.sampled_from("02369"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)
separators = st.sampled_from(["", " ", "-", "  "])
phone_like = st.text(alphabet="0123456789+-() .\u00a0\t#*xext", max_size=40)


@fast
@given(text=st.text(max_size=60) | phone_like)
def test_the_phone_parser_raises_nothing_but_validation_error(text: str) -> None:
    try:
        result = normalise_mobile_number(text)
    except ValidationError:
        return
    assert result.startswith("+")
    assert result[1:].isdigit()
    assert normalise_mobile_number(result) == result


@fast
@given(national=swedish_mobiles, separator=separators, form=st.sampled_from(["0", "+46", "0046"]))
def test_swedish_mobiles_round_trip_to_e164(national: str, separator: str, form: str) -> None:
    groups = [national[:2], national[2:5], national[5:7], national[7:]]
    typed = form + separator.join(groups)

    assert normalise_mobile_number(typed) == f"+46{national}"


@fast
@given(text=st.text(max_size=80) | st.emails())
def test_the_e_mail_field_raises_nothing_but_validation_error(text: str) -> None:
    try:
        cleaned = forms.EmailField().clean(text)
    except ValidationError:
        return
    assert "@" in cleaned
    assert not {"\r", "\n", "\x00", ","} & set(cleaned)


# --- Households on paper: how they agreed, and the codes that claim them --------------------


@pytest.mark.parametrize(
    ("how", "message"),
    [
        pytest.param("", "Say how the household agreed.", id="missing"),
        pytest.param("email", "Select a valid choice.", id="not-a-choice"),
        pytest.param(hostile.XSS, "Select a valid choice.", id="html"),
        pytest.param("phone\x00", "Select a valid choice.", id="null"),
    ],
)
def test_paper_households_consent_must_be_one_of_the_ways(get, nothing_written, how, message):
    request = FORMS["paper-household"].prepare(get)

    with nothing_written():
        response = submit(request, consent_how=how)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()


@pytest.mark.parametrize(
    ("code", "message"), [pytest.param(c, m, id=name) for name, c, m in hostile.BAD_CLAIM_CODES]
)
def test_bad_claim_codes_change_nothing(get, nothing_written, code, message):
    get("claim_code")  # a household waits to be claimed with another code
    client = client_for(get("member"))

    with nothing_written():
        response = client.post(reverse("watch:claim"), {"code": code})

    assert response.status_code == 200
    content = response.content.decode()
    assert escape(message) in content
    assert [marker for marker in hostile.XSS_MARKERS if marker in content] == []


@pytest.mark.parametrize(
    ("code", "message"),
    [pytest.param(c, m, id=name) for name, c, m in hostile.BAD_VERIFICATION_CODES],
)
def test_bad_codes_for_a_paper_households_number_change_nothing(
    get, nothing_written, code, message
):
    area, contact = get("area"), get("area_contact")
    paper = on_paper(area, phone="+46701740605")
    paper_services.send_phone_code(actor=contact, paper=paper, area=area)
    client = client_for(contact)

    with nothing_written():
        response = client.post(reverse("watch:paper_phone_verify", args=[paper.pk]), {"code": code})

    assert response.status_code == 200
    content = response.content.decode()
    assert escape(message) in content
    assert [marker for marker in hostile.XSS_MARKERS if marker in content] == []


# --- Push subscriptions (notifications/push), posted as JSON ---------------------------------


def post_subscription(get: Get, client: Client, **changes: Any) -> Any:
    body = get("push_ready")
    keys = {name: changes.pop(name) for name in ("p256dh", "auth") if name in changes}
    subscription = {**body, **changes, "keys": {**body["keys"], **keys}}
    return client.post(
        reverse("notifications:push_subscribe"), subscription, content_type="application/json"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [pytest.param(c, m, id=name) for name, c, m in hostile.BAD_PUSH_SUBSCRIPTIONS],
)
def test_bad_push_subscriptions_are_refused(get, nothing_written, changes, message):
    client = client_for(get("area_member"))

    with nothing_written():
        response = post_subscription(get, client, **changes)

    assert response.status_code == 400
    assert message in response.json()["message"]
    assert "<script>" not in response.content.decode()


def test_the_control_subscription_is_accepted(get):
    assert post_subscription(get, client_for(get("area_member"))).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("not json", id="not-json"),
        pytest.param("[]", id="a-list"),
        pytest.param('{"endpoint": ["https://push.example.net/1"]}', id="not-strings"),
        # Under the size limit, but deeper than Python's parser goes (RecursionError).
        pytest.param("[" * 1500 + "]" * 1500, id="nested-1500-deep"),
        # JSON may escape half a UTF-16 pair, which no text column can hold.
        pytest.param(
            '{"endpoint": "https://push.example.net/\\ud800", "keys": {}}', id="lone-surrogate"
        ),
        # No text column of PostgreSQL holds a NUL (it was a 500 there).
        pytest.param('{"endpoint": "https://push.example.net/\\u0000", "keys": {}}', id="nul"),
        pytest.param('{"endpoint": "https://push.example.net/' + "x" * 2000 + '"}', id="too-long"),
    ],
)
@pytest.mark.parametrize("url", ["notifications:push_subscribe", "notifications:push_unsubscribe"])
def test_what_is_not_a_subscription_is_refused(get, nothing_written, body, url):
    client = client_for(get("area_member"))
    get("push_ready")

    with nothing_written():
        response = client.post(reverse(url), body, content_type="application/json")

    assert response.status_code == 400


def test_a_huge_subscription_is_refused_before_it_is_read(get, nothing_written):
    client = client_for(get("area_member"))
    huge = {**get("push_ready"), "padding": "x" * 1_000_000}

    with nothing_written():
        response = client.post(
            reverse("notifications:push_subscribe"), huge, content_type="application/json"
        )

    assert response.status_code == 413
    assert "far too much" in response.json()["message"]
