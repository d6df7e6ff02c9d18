"""Telling a member of an answer by the channels they chose, and opening its notice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from accounts.models import User
from config.celery_app import enqueue_on_commit
from notifications.alerts.models import Channel
from notifications.answers.models import LINE_MAX_LENGTH, Notice
from notifications.notices.services import notify_users, render_subject
from notifications.preferences import selectors as preference_selectors
from notifications.preferences.services import text_verified

TEXT_TASK = "notifications.tasks.text_member"


def tell(*, users: Iterable[User], template: str, context: dict[str, Any], path: str) -> None:
    """Tell ``users`` of an answer: an inbox entry linking to ``path``, always; the
    e-mail ``templates/emails/<template>`` unless they turned it off (never to a suspended
    address, ``notify_users``); its subject and link by SMS if they chose it.

    Call it inside the transaction of the change it reports, like ``notify_users``: the
    notices and e-mails are recorded with it, and the texts queued once it commits.
    """
    members = [user for user in users if user.is_active]
    if not members:
        return
    channels = preference_selectors.answer_channels(members, timezone.now())
    notices = []
    for user in members:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            line = render_subject(template, context)[:LINE_MAX_LENGTH]
        notices.append(Notice(user=user, line=line, path=path))
        if Channel.SMS in channels[user.pk]:
            text = f"{settings.SITE_NAME}: {line} {settings.SITE_URL}{path}"
            enqueue_on_commit(TEXT_TASK, user.pk, text)
    Notice.objects.bulk_create(notices)
    notify_users(
        users=[user for user in members if Channel.EMAIL in channels[user.pk]],
        template=template,
        context=context,
    )


def text_member(user_id: int, text: str) -> bool:
    """The SMS of ``tell``, if the member's number is still verified."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return user is not None and text_verified(user, text)


def open_notice(notice: Notice) -> None:
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user: User) -> None:
    Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
