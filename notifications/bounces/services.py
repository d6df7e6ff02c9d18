"""What a bounce or a complaint changes: the message it names, and that address's count.

The receiver (``notifications.bounces.receiver``) hands each message it accepted to
``receive`` with the envelope recipients, whose return path names the message
(``notifications.verp``); nothing in the report itself is trusted to name it.

- A permanent bounce marks that message failed with the remote reason and
  ``bounced_at`` — only a message that was sent and has not bounced before, so a
  replayed report changes nothing — and counts one hard bounce against the address
  (``BouncingAddress``). At ``BOUNCE_SUSPEND_AFTER`` the address is suspended: the
  e-mail channel skips it and account notices to it are not written; the member is
  told by SMS if their number is verified, and on every page (``selectors``).
- A complaint about an alert turns e-mail of that alert's kind off for the member (as
  the one-click unsubscribe does); about an invitation, it stops invitations to that
  address. Asking twice changes nothing more.

Each report is one transaction: if it fails (the database is down, two bounces for a
new address race), nothing of it is kept and the receiver answers 451, so the sending
server tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from config.celery_app import enqueue_on_commit
from notifications import verp
from notifications.alerts.models import Channel, Delivery
from notifications.bounces import reports
from notifications.bounces.selectors import address_suspended
from notifications.notices.models import BouncingAddress, OutboundEmail
from notifications.notices.services import address_hash, stop_invitations
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import Preference
from notifications.preferences.services import text_verified

logger = logging.getLogger(__name__)


def receive(*, recipients: Sequence[str], data: bytes) -> str:
    """Act on the message ``data`` sent to ``recipients``; say what it was, for the log.

    ``bounce`` and ``complaint`` changed something; anything else (``not a report``,
    ``no return path``, ``nothing to change``) changed nothing.
    """
    report = reports.read(data)
    if report is None:
        return "not a report"
    target = next((found for r in recipients if (found := verp.read(r)) is not None), None)
    if target is None and report.kind == "complaint" and report.return_path:
        target = verp.read(report.return_path)
    if target is None:
        return "no return path"
    kind, pk = target
    with transaction.atomic():
        if report.kind == "bounce":
            changed = record_bounce(kind=kind, pk=pk, report=report, now=timezone.now())
        else:
            changed = record_complaint(kind=kind, pk=pk)
    return report.kind if changed else "nothing to change"


def record_bounce(*, kind: str, pk: int, report: reports.Report, now: datetime) -> bool:
    """Mark message ``pk`` of ``kind`` bounced and count it; False if it changed nothing."""
    fields = {"status": DeliveryStatus.FAILED, "bounced_at": now, "last_error": report.reason}
    if kind == verp.DELIVERY:
        # A deleted member's rows stay anonymised: their address must not come back.
        marked = Delivery.objects.filter(
            pk=pk,
            channel=Channel.EMAIL,
            status=DeliveryStatus.SENT,
            bounced_at__isnull=True,
            user__is_active=True,
        ).update(**fields)
        if not marked:
            return False
        user = User.objects.get(deliveries__pk=pk)
        address = user.email
        user_id: int | None = user.pk
    else:
        marked = OutboundEmail.objects.filter(
            pk=pk, status=DeliveryStatus.SENT, bounced_at__isnull=True
        ).update(**fields)
        if not marked:
            return False
        row = OutboundEmail.objects.select_related("user").get(pk=pk)
        address = row.to
        # It counts against the member only while the address is still theirs.
        owner = row.user
        user_id = (
            owner.pk
            if owner is not None and owner.is_active and owner.email.lower() == row.to.lower()
            else None
        )
    # A report about another address (the member has changed theirs since) fails the
    # message but does not count against the address they have now.
    if report.recipients and address.strip().lower() not in report.recipients:
        return True
    if _count_hard_bounce(address=address, user_id=user_id, now=now) and user_id is not None:
        enqueue_on_commit("notifications.tasks.tell_email_suspended", user_id)
    return True


def _count_hard_bounce(*, address: str, user_id: int | None, now: datetime) -> bool:
    """One more hard bounce of ``address``; True if this one suspended it."""
    digest = address_hash(address)
    if user_id is not None:
        # The count of an address the member no longer has does not matter any more.
        BouncingAddress.objects.filter(user_id=user_id).exclude(address_hash=digest).delete()
    row = BouncingAddress.objects.select_for_update().filter(address_hash=digest).first()
    if row is None:
        # Two first bounces at once: one insert fails, its report is retried (451).
        row = BouncingAddress.objects.create(address_hash=digest, last_bounced_at=now)
    row.hard_bounces += 1
    row.last_bounced_at = now
    if user_id is not None:
        row.user_id = user_id
    suspended_now = row.suspended_at is None and row.hard_bounces >= settings.BOUNCE_SUSPEND_AFTER
    if suspended_now:
        row.suspended_at = now
    row.save()
    return suspended_now


def record_complaint(*, kind: str, pk: int) -> bool:
    """No more e-mail like message ``pk`` to whoever complained about it."""
    if kind == verp.DELIVERY:
        row = (
            Delivery.objects.filter(
                pk=pk,
                channel=Channel.EMAIL,
                status=DeliveryStatus.SENT,
                user__is_active=True,
            )
            .values("user_id", "alert__kind")
            .first()
        )
        if row is None:
            return False
        _preference, created = Preference.objects.get_or_create(
            user_id=row["user_id"], kind=row["alert__kind"], defaults={"email": False}
        )
        return created or bool(
            Preference.objects.filter(pk=_preference.pk, email=True).update(email=False)
        )
    email = OutboundEmail.objects.filter(pk=pk, status=DeliveryStatus.SENT).first()
    if email is None or not email.context.get("stop_path"):
        # An account notice is about the member's own account: there is nothing to turn off.
        return False
    stop_invitations(email.to)
    return True


def lift_suspension(*, address: str) -> int:
    """``address`` works again (it was confirmed): its count starts afresh."""
    deleted, _by_model = BouncingAddress.objects.filter(address_hash=address_hash(address)).delete()
    return deleted


def on_email_confirmed(sender: object, email_address: object, **_kwargs: object) -> None:
    """allauth's ``email_confirmed``: a member who confirms an address lifts its suspension."""
    address = getattr(email_address, "email", "")
    if isinstance(address, str) and address:
        lift_suspension(address=address)


def tell_email_suspended(user_id: int) -> bool:
    """Text the member that their address is suspended, if their number is verified.

    The in-app notice needs nothing sent: every page tells them while it lasts.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.phone or not address_suspended(user):
        return False
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = _(
            "%(site)s: e-mail to %(address)s cannot be delivered, so we have stopped "
            "sending to it. Correct your address: %(url)s"
        ) % {
            "site": settings.SITE_NAME,
            "address": user.email,
            "url": f"{settings.SITE_URL}{reverse('account_email')}",
        }
    return text_verified(user, text)
