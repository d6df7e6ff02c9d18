"""Every e-mail has an HTML part in the site's look, not only the alerts: allauth's account
e-mails (written as text) and the account notices get the same layout, with the site's
name in the header bar, the text linked and in paragraphs, and the 112 / 114 14 notice."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.notices.services import render_message

pytestmark = pytest.mark.django_db


def html_part(message) -> str:
    (html, kind), *_ = message.alternatives
    assert kind == "text/html"
    return html


def assert_site_look(html: str, settings) -> None:
    assert f'font-weight: 700;">{settings.SITE_NAME}</td>' in html  # the header bar
    assert "border-top: 4px solid #0b4f8a" in html  # the footer rule
    assert "call 112" in html
    tables = re.findall(r"<table[^>]*>", html)
    assert tables
    assert all('role="presentation"' in table for table in tables)


def test_the_sign_up_e_mail_has_an_html_part_in_the_site_s_look(client, settings):
    client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.org",
            "full_name": "Ny Granne",
            "password1": "ett långt lösenord 42",
            "password2": "ett långt lösenord 42",
        },
    )

    (message,) = mail.outbox
    html = html_part(message)
    assert_site_look(html, settings)
    link = re.search(r"https?://\S+/confirm-email/\S+/", message.body).group(0)
    assert f'<a href="{link}"' in html  # the text's link, as a link
    assert "[Grannsamverkan]" not in html.split("<h1", 1)[1]  # the subject without its prefix


def test_a_password_reset_has_one_too(client, member, settings):
    client.post(reverse("account_reset_password"), {"email": member.email})

    assert_site_look(html_part(mail.outbox[0]), settings)


def test_an_account_notice_has_the_same_look(settings):
    subject, _text, html = render_message(
        "watch/request_approved", {"area": "Marieholm", "site_url": settings.SITE_URL}
    )

    assert_site_look(html, settings)
    assert f">{subject}</h1>" in html
