"""Writes of the notifications app: alerts, the delivery pipeline, members' choices.

The pipeline (healthchecks' outbox and pretix's Celery pattern):

1. ``send_alert`` records the alert and enqueues one dispatch task after commit.
2. ``dispatch`` resolves recipients a chunk at a time and bulk-inserts one
   Delivery per (alert, member, channel) — unique, so a retried dispatch creates
   nothing twice — then enqueues send tasks carrying lists of delivery ids.
3. ``send_deliveries`` claims its rows (``select_for_update(skip_locked)`` and a
   status change), sends them through the channel module, and records each
   outcome; temporary failures go back to the queue with exponential backoff,
   up to ``DELIVERY_MAX_ATTEMPTS`` (a setting).
4. ``sweep`` (beat, every minute) starts scheduled alerts whose time has come,
   re-dispatches alerts whose dispatch was lost, releases rows claimed by a
   worker that died, and re-enqueues rows that are due — so a broker outage or
   a killed worker delays messages but never loses them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications import permissions, selectors, sms, tasks
from notifications.channels import Outcome, module_for
from notifications.models import (
    Alert,
    AlertStatus,
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    MemberSettings,
    Preference,
)
from watch.models import AuditAction, AuditEntry

BATCH_SIZE = {Channel.EMAIL: 100, Channel.SMS: 50, Channel.INAPP: 1000}
# Longer than the send task's hard time limit: a row still claimed after this
# belongs to a worker that died.
STALE_CLAIM = timedelta(minutes=10)
LOST_DISPATCH = timedelta(minutes=5)


# --- Account notices (one-off e-mails, not alerts) -----------------------------------------


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


# --- Alerts ----------------------------------------------------------------------------------


def send_alert(*, actor: User, alert: Alert) -> Alert:
    """Send a draft now, or schedule it for its publish-at. Constant work for any audience."""
    if not permissions.can_send(actor, alert):
        raise PermissionDenied
    now = timezone.now()
    scheduled = alert.publish_at is not None and alert.publish_at > now
    new_status = AlertStatus.SCHEDULED if scheduled else AlertStatus.SENDING
    with transaction.atomic():
        # Conditional update: a double-clicked Send button sends once.
        changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.DRAFT).update(
            status=new_status
        )
        if changed != 1:
            raise ValidationError(_("This alert has already been sent or scheduled."))
        alert.status = new_status
        # Colleagues in the target's municipalities see (and may cancel) a scheduled
        # alert before dispatch fixes the exact areas.
        municipality_ids = selectors.target_municipality_ids(alert)
        alert.municipalities.set(municipality_ids)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                actor=actor,
                action=AuditAction.ALERT_SENT,
                municipality_id=municipality_id,
                detail=f"{alert.pk}: {alert.title}",
            )
            for municipality_id in sorted(municipality_ids)
        )
        if not scheduled:
            Alert.objects.filter(pk=alert.pk).update(dispatched_at=now)
            tasks.dispatch_alert.delay_on_commit(alert.pk)
    return alert


def cancel_alert(*, actor: User, alert: Alert) -> Alert:
    """Cancel a scheduled alert before it goes out."""
    if not permissions.can_send(actor, alert):
        raise PermissionDenied
    changed = Alert.objects.filter(
        pk=alert.pk, status__in=[AlertStatus.DRAFT, AlertStatus.SCHEDULED]
    ).update(status=AlertStatus.CANCELLED)
    if changed != 1:
        raise ValidationError(_("Only a draft or a scheduled alert can be cancelled."))
    alert.status = AlertStatus.CANCELLED
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            action=AuditAction.ALERT_CANCELLED,
            municipality_id=municipality_id,
            detail=f"{alert.pk}: {alert.title}",
        )
        for municipality_id in alert.municipalities.values_list("pk", flat=True)
    )
    return alert


def dispatch(alert_id: int) -> int:
    """Create the alert's deliveries and enqueue their sending; return recipients seen.

    Safe to run twice (a redelivered task, the sweep): existing rows are kept.
    """
    alert = Alert.objects.filter(pk=alert_id, status=AlertStatus.SENDING).first()
    if alert is None:
        return 0
    areas = selectors.resolve_areas(alert)
    alert.areas.set(areas)
    alert.municipalities.set({area.municipality_id for area in areas})
    now = timezone.now()
    seen = 0
    for chunk in selectors.recipient_chunks([area.pk for area in areas], alert.kind):
        seen += len(chunk)
        rows = [
            Delivery(
                alert_id=alert.pk,
                user_id=recipient.user_id,
                area_id=recipient.area_id,
                channel=planned.channel,
                status=planned.status,
                reason=planned.reason,
                next_attempt_at=planned.not_before,
                created_at=now,
            )
            for recipient in chunk
            for planned in selectors.plan(recipient, alert, now)
        ]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        due = Delivery.objects.filter(
            alert_id=alert.pk,
            user_id__gte=chunk[0].user_id,
            user_id__lte=chunk[-1].user_id,
            status=DeliveryStatus.QUEUED,
            next_attempt_at__isnull=True,
        ).values_list("pk", "channel")
        enqueue(due)
    Alert.objects.filter(pk=alert.pk, status=AlertStatus.SENDING).update(
        status=AlertStatus.SENT, sent_at=timezone.now()
    )
    return seen


def enqueue(rows: Iterable[tuple[int, str]], countdown: float | None = None) -> int:
    """Enqueue send tasks for (delivery id, channel) pairs, in batches per channel."""
    by_channel: dict[str, list[int]] = defaultdict(list)
    for pk, channel in rows:
        by_channel[channel].append(pk)
    tasks_sent = 0
    for channel, ids in by_channel.items():
        size = BATCH_SIZE[channel]
        for start in range(0, len(ids), size):
            tasks.send_deliveries.apply_async(
                (channel, ids[start : start + size]), countdown=countdown
            )
            tasks_sent += 1
    return tasks_sent


def claim(ids: list[int], now: datetime) -> list[int]:
    """Take the queued, due rows among ``ids`` for this worker; others skip them."""
    with transaction.atomic():
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=DeliveryStatus.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .values_list("pk", flat=True)
        )
        if claimed:
            Delivery.objects.filter(pk__in=claimed).update(
                status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    return claimed


def send_deliveries(channel: str, ids: list[int]) -> None:
    now = timezone.now()
    claimed = claim(ids, now)
    if not claimed:
        return
    deliveries = list(
        Delivery.objects.filter(pk__in=claimed).select_related("alert", "user").order_by("pk")
    )
    ready = [d for d in deliveries if d.user is not None]
    outcomes = module_for(channel).send(ready) if ready else []
    outcomes += [
        Outcome(d.pk, ok=False, permanent=True, error="account deleted")
        for d in deliveries
        if d.user is None
    ]
    retry_in = record_outcomes(deliveries, outcomes)
    if retry_in is not None:
        retry_ids = [(o.delivery_id, channel) for o in outcomes if not o.ok and not o.permanent]
        enqueue(retry_ids, countdown=retry_in)


def backoff(attempts: int) -> float:
    base = settings.DELIVERY_BACKOFF_BASE_SECONDS
    return float(min(base * 2 ** (attempts - 1), settings.DELIVERY_BACKOFF_CAP_SECONDS))


def record_outcomes(deliveries: list[Delivery], outcomes: list[Outcome]) -> float | None:
    """Write the outcomes in a few bulk updates; return the delay before a retry, if any."""
    now = timezone.now()
    by_id = {d.pk: d for d in deliveries}
    sent = [o.delivery_id for o in outcomes if o.ok]
    if sent:
        Delivery.objects.filter(pk__in=sent, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SENT, sent_at=now, last_error="", next_attempt_at=None
        )
    changed: list[Delivery] = []
    retry_in: float | None = None
    for outcome in outcomes:
        if outcome.ok:
            continue
        delivery = by_id[outcome.delivery_id]
        delivery.last_error = outcome.error[:500]
        if outcome.permanent or delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delay = max(backoff(delivery.attempts), outcome.retry_after or 0)
            delivery.status = DeliveryStatus.QUEUED
            delivery.next_attempt_at = now + timedelta(seconds=delay)
            retry_in = delay if retry_in is None else min(retry_in, delay)
        changed.append(delivery)
    if changed:
        Delivery.objects.bulk_update(changed, ["status", "last_error", "next_attempt_at"])
    return retry_in


def sweep() -> dict[str, int]:
    """Recover from lost tasks, dead workers and broker outages; start scheduled alerts."""
    now = timezone.now()
    counts = {"scheduled": 0, "redispatched": 0, "released": 0, "enqueued": 0}
    due = Alert.objects.filter(status=AlertStatus.SCHEDULED, publish_at__lte=now)
    for alert_id in due.values_list("pk", flat=True):
        if Alert.objects.filter(pk=alert_id, status=AlertStatus.SCHEDULED).update(
            status=AlertStatus.SENDING, dispatched_at=now
        ):
            tasks.dispatch_alert.delay(alert_id)
            counts["scheduled"] += 1
    lost = Alert.objects.filter(
        status=AlertStatus.SENDING, dispatched_at__lte=now - LOST_DISPATCH
    ).values_list("pk", flat=True)
    for alert_id in lost:
        tasks.dispatch_alert.delay(alert_id)
        counts["redispatched"] += 1
    counts["released"] = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lte=now - STALE_CLAIM
    ).update(status=DeliveryStatus.QUEUED, claimed_at=None)
    waiting = Delivery.objects.filter(status=DeliveryStatus.QUEUED).filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(minutes=1))
    )
    counts["enqueued"] = enqueue(waiting.order_by("pk").values_list("pk", "channel").iterator())
    return counts


# --- Members' choices ----------------------------------------------------------------------


def set_preferences(*, user: User, choices: dict[str, dict[str, bool]]) -> None:
    """Save channels per kind; police alerts always keep in-app."""
    with transaction.atomic():
        for kind, channels in choices.items():
            Preference.objects.update_or_create(
                user=user,
                kind=kind,
                defaults={
                    "email": channels.get(Channel.EMAIL, False),
                    "sms": channels.get(Channel.SMS, False),
                    "inapp": kind == Kind.POLICE_ALERT or channels.get(Channel.INAPP, False),
                },
            )


def unsubscribe(*, user_id: int, kind: str) -> None:
    """One-click unsubscribe: no more e-mail of this kind."""
    if kind not in Kind.values or not User.objects.filter(pk=user_id, is_active=True).exists():
        raise ValidationError(_("This unsubscribe link is not valid."))
    Preference.objects.update_or_create(user_id=user_id, kind=kind, defaults={"email": False})


def member_settings(user: User) -> MemberSettings:
    settings_, _created = MemberSettings.objects.get_or_create(user=user)
    return settings_


VERIFICATION_CODE_LENGTH = 6
VERIFICATION_MAX_ATTEMPTS = 5
VERIFICATION_VALID = timedelta(minutes=15)
VERIFICATION_RESEND_AFTER = timedelta(seconds=60)


def _code_hash(user: User, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{user.pk}:{user.phone}:{code}".encode(), hashlib.sha256).hexdigest()


def send_phone_verification(*, user: User) -> None:
    """Text a six-digit code to the user's mobile number."""
    if not user.phone:
        raise ValidationError(_("Add a mobile number to your profile first."))
    now = timezone.now()
    with transaction.atomic():
        settings_ = MemberSettings.objects.select_for_update().get(pk=member_settings(user).pk)
        if (
            settings_.verification_sent_at
            and now - settings_.verification_sent_at < VERIFICATION_RESEND_AFTER
        ):
            raise ValidationError(
                _("A code was sent a moment ago. Wait a minute before asking again.")
            )
        code = f"{secrets.randbelow(10**VERIFICATION_CODE_LENGTH):0{VERIFICATION_CODE_LENGTH}d}"
        settings_.verification_code_hash = _code_hash(user, code)
        settings_.verification_sent_at = now
        settings_.verification_attempts = 0
        settings_.save()
    text = _("Your Grannsamverkan code is %(code)s. It is valid for 15 minutes.") % {"code": code}
    sms.get_backend().send_messages([sms.SMSMessage(to=user.phone, body=text)])


def verify_phone(*, user: User, code: str) -> None:
    with transaction.atomic():
        settings_ = MemberSettings.objects.select_for_update().get(pk=member_settings(user).pk)
        if not settings_.verification_code_hash or settings_.verification_sent_at is None:
            error = _("Ask for a code first.")
        elif settings_.verification_attempts >= VERIFICATION_MAX_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new one.")
        elif timezone.now() - settings_.verification_sent_at > VERIFICATION_VALID:
            error = _("The code has expired. Ask for a new one.")
        elif not hmac.compare_digest(
            settings_.verification_code_hash, _code_hash(user, code.strip())
        ):
            # Counted (and committed) before the error is raised, so guessing is bounded.
            settings_.verification_attempts += 1
            settings_.save(update_fields=["verification_attempts"])
            error = _("That code is not right.")
        else:
            settings_.verified_phone = user.phone
            settings_.verification_code_hash = ""
            settings_.save()
            return
    raise ValidationError(error)
