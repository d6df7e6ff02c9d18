"""No page needs what the Content-Security-Policy forbids (see config/security.py).

The permission matrix checks every page it renders, for every role, with
``tests.inline_code``; this module does the same for allauth's and the admin's pages
(which the matrix only samples), and scans templates/ and static/ for inline code written
out literally, for pages no test reaches. E-mails are exempt: CSP does not apply to them,
and mail clients need inline styles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import official
from tests.inline_code import inline_code
from watch.roles.models import OfficialKind

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def assert_no_inline_code(client: Client, url: str) -> None:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == [], url


def test_the_finder_finds_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script src="/s.js"></script>'
        '<script type="application/json" id="d">{}</script><style>p{}</style>'
        '<p style="color:red" onclick="x()"><a href=" JavaScript:x()">x</a></p>'
    )

    assert len(inline_code(html)) == 5


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"],
)
def test_account_pages_for_the_anonymous_have_no_inline_code(client, name):
    assert_no_inline_code(client, reverse(name))


@pytest.mark.parametrize(
    "name",
    [
        "account_email",
        "account_change_password",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_deactivate_totp",
    ],
)
def test_account_pages_for_officials_have_no_inline_code(coordinator, name):
    RecoveryCodes.activate(coordinator)

    assert_no_inline_code(client_for(coordinator), reverse(name))


def test_the_two_factor_setup_page_has_no_inline_code(municipality):
    newcomer = official(OfficialKind.POLICE, municipality, mfa=False)

    assert_no_inline_code(client_for(newcomer), reverse("mfa_activate_totp"))


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:watch_watcharea_changelist",
        "admin:watch_watcharea_add",
        "admin:notifications_alert_changelist",
    ],
)
def test_admin_pages_have_no_inline_code(admin_user, area, name):
    assert_no_inline_code(client_for(admin_user), reverse(name))


def test_the_admin_boundary_editor_has_no_inline_code(admin_user, area):
    url = reverse("admin:watch_watcharea_change", args=[area.pk])

    assert_no_inline_code(client_for(admin_user), url)


# A template tag may open a <script> on one line and set src on the next; the rendered
# pages above settle those. This scan is for tags written out literally.
LITERAL_INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


def test_no_template_or_script_writes_inline_code():
    files = [
        path
        for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.js")]
        if "emails" not in path.relative_to(ROOT).parts
    ]
    assert files
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in files
        for match in LITERAL_INLINE.finditer(path.read_text())
    ]

    assert found == []
