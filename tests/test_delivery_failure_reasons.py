"""A failed e-mail's reason in words an official can act on, from the server's enhanced
status code (RFC 3463); its own English words stay, folded under them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.alerts.models import Delivery
from notifications.outbox.reasons import plain
from tests.conftest import client_for
from tests.factories import member_of, sent_public_alert

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (
            "550 5.1.1 <lars@example.com>: Recipient address rejected: User unknown",
            "The e-mail address does not exist: the member needs to correct it.",
        ),
        ("552 5.2.2 Mailbox full", "The member's mailbox is full."),
        ("550 5.2.1 Mailbox disabled", "The member's mailbox is closed."),
        ("554 5.7.1 Message rejected as spam", "The member's mail server refused the message."),
        (
            "451 4.7.1 Greylisted, try again",
            "The member's mail server asked us to try again later.",
        ),
        # No code it knows: nothing to add to the server's words.
        ("550 5.3.4 Message too big", ""),
        ("Connection refused", ""),
        ("46elks: invalid number +46701", ""),
        ("Sent on 2026.12.05.1", ""),
    ],
)
def test_the_server_code_is_put_in_words(error, words):
    assert plain(error) == words


def test_the_alerts_page_shows_the_words_and_folds_the_servers(police, area):
    alert = sent_public_alert(police, area)
    Delivery.objects.create(
        alert=alert,
        user=member_of(area, full_name="Lars Bergström"),
        area=area,
        channel="email",
        status="failed",
        attempts=1,
        last_error="550 5.1.1 <lars@example.com>: Recipient address rejected: User unknown",
    )

    html = (
        client_for(police)
        .get(reverse("notifications:alert_detail", args=[alert.pk]))
        .content.decode()
    )

    words = html.index("The e-mail address does not exist: the member needs to correct it.")
    folded = html.index("<summary>The server's own words</summary>")
    assert words < folded < html.index("Recipient address rejected: User unknown")
