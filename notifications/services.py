"""Writes of the notifications app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accounts.models import User
from notifications import tasks


def notify_users(*, users: Iterable[User], template: str, context: dict[str, Any]) -> None:
    """E-mail ``users`` a message from ``templates/emails/<template>``, after commit.

    For one-off messages about a person's own account (a decision on their join
    request, an appointment). Alerts to many members go through the delivery
    pipeline instead, which records a Delivery row per recipient.
    """
    notify_addresses(
        recipients=[
            {"email": user.email, "name": user.full_name, "language": user.language}
            for user in users
        ],
        template=template,
        context=context,
    )


def notify_addresses(
    *, recipients: list[dict[str, str]], template: str, context: dict[str, Any]
) -> None:
    """Like notify_users, for people who may have no account yet (invitations)."""
    if recipients:
        tasks.send_templated_email.delay_on_commit(template, recipients, context)
