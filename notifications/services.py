"""Writes of the notifications app: alerts, the delivery pipeline, members' choices.

The pipeline (healthchecks' outbox and pretix's Celery pattern):

1. ``send_alert`` records the alert and enqueues one dispatch task after commit.
2. ``dispatch`` resolves recipients a chunk at a time and bulk-inserts one
   Delivery per (alert, member, channel) — unique, so a retried dispatch creates
   nothing twice — then enqueues send tasks carrying lists of delivery ids. An
   in-app delivery is the inbox entry itself, so it is written as sent.
3. ``send_deliveries`` claims its rows (``select_for_update(skip_locked)`` and a
   status change), sends them through the channel module, and records each
   outcome; temporary failures go back to the queue with exponential backoff,
   up to ``DELIVERY_MAX_ATTEMPTS`` (a setting).
4. ``sweep`` (beat, every minute) starts scheduled alerts whose time has come,
   re-dispatches alerts whose dispatch was lost, releases rows claimed by a
   worker that died, and re-enqueues rows that are due — so a broker outage or
   a killed worker delays messages but never loses them.

Account notices (``notify_users``) take the same road from step 3: one
OutboundEmail row per address, recorded in the transaction of the change it
reports, claimed, sent, retried and swept like a delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import chain
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications import emails, permissions, selectors, sms, tasks
from notifications.channels import Outcome, module_for
from notifications.models import (
    Alert,
    AlertStatus,
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    MemberSettings,
    OutboundEmail,
    Preference,
)
from watch.audit.models import AuditAction, AuditEntry

BATCH_SIZE = {Channel.EMAIL: 100, Channel.SMS: 50}
# A queued row with no retry time whose send task has not run after this long was
# never queued, or its task was lost with a broker or a worker.
LOST_SEND = timedelta(minutes=1)
# A retry due later than this is left to the sweep (every minute) rather than queued
# with a countdown: Redis hands a message nobody acknowledged to another worker after
# its visibility timeout (config/settings.py), and a waiting countdown counts.
MAX_COUNTDOWN = 60.0
# The tables sent from by claim/record_outcomes: the same columns and statuses.
Outbox = type[Delivery] | type[OutboundEmail]
_SENT_COLUMNS = ("id", "status", "sent_at", "last_error", "next_attempt_at")


# --- Account notices (one-off e-mails, not alerts) -----------------------------------------


def notify_users(*, users: Iterable[User], template: str, context: dict[str, Any]) -> None:
    """E-mail ``users`` a message from ``templates/emails/<template>``, each in their language.

    For one-off messages about a person's own account (a decision on their join
    request, an appointment). Call it inside the transaction of the change it
    reports: the messages are recorded with it (``OutboundEmail``), or not at all.
    """
    _record_notices(
        [
            OutboundEmail(
                to=user.email,
                user=user,
                language=user.language,
                template=template,
                context=context,
            )
            for user in users
        ]
    )


def notify_addresses(
    *, addresses: Iterable[str], language: str, template: str, context: dict[str, Any]
) -> None:
    """Like notify_users, for people who may have no account yet (invitations)."""
    _record_notices(
        [
            OutboundEmail(to=address, language=language, template=template, context=context)
            for address in addresses
        ]
    )


def _record_notices(rows: list[OutboundEmail]) -> None:
    if not rows:
        return
    OutboundEmail.objects.bulk_create(rows)
    # Best effort: a row whose task never reached the broker is still queued, and the
    # sweep sends it.
    for batch in _outbound_batches([row.pk for row in rows]):
        tasks.queue_after_commit(tasks.send_outbound_emails, batch)


def _outbound_batches(ids: list[int]) -> list[list[int]]:
    size = BATCH_SIZE[Channel.EMAIL]
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def stale_claim() -> timedelta:
    """Longer than a task's hard time limit: a row claimed longer ago than this, or an
    alert whose dispatch started longer ago, belongs to a worker that died."""
    return timedelta(seconds=settings.DELIVERY_STALE_CLAIM_SECONDS)


def enqueue_outbound(ids: list[int], countdown: float | None = None) -> int:
    """Enqueue send tasks for outbound e-mail ids, in batches; return how many."""
    batches = _outbound_batches(ids)
    for batch in batches:
        tasks.send_outbound_emails.apply_async((batch,), countdown=countdown)
    return len(batches)


def send_outbound_emails(ids: list[int]) -> None:
    """Send the queued, due e-mails among ``ids``, writing each outcome as it happens."""
    claimed = claim(ids, timezone.now(), model=OutboundEmail)
    if not claimed:
        return
    rows = list(OutboundEmail.objects.filter(pk__in=claimed).order_by("pk"))
    retry_in: float | None = None
    retry_ids: list[int] = []
    for group, failure in emails.send_each(rows, emails.outbound_message):
        outcomes = [
            Outcome(row.pk, ok=True)
            if failure is None
            else Outcome(row.pk, ok=False, permanent=failure.permanent, error=failure.reason)
            for row in group
        ]
        delay = record_outcomes(rows, outcomes, model=OutboundEmail)
        if delay is not None:
            retry_in = delay if retry_in is None else min(retry_in, delay)
            retry_ids += [o.delivery_id for o in outcomes if not (o.ok or o.permanent)]
    if retry_in is not None and retry_in <= MAX_COUNTDOWN:
        enqueue_outbound(retry_ids, countdown=retry_in)


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
            # Recorded before it is queued: if the broker is down the request still
            # succeeds, and the sweep dispatches the alert once it is back.
            Alert.objects.filter(pk=alert.pk).update(dispatched_at=now)
            tasks.queue_after_commit(tasks.dispatch_alert, alert.pk)
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
                sent_at=now if planned.status == DeliveryStatus.SENT else None,
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


def claim(ids: list[int], now: datetime, model: Outbox = Delivery) -> list[int]:
    """Take the queued, due rows among ``ids`` for this worker; others skip them."""
    with transaction.atomic():
        claimed = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=DeliveryStatus.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .values_list("pk", flat=True)
        )
        if claimed:
            model.objects.filter(pk__in=claimed).update(
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
    gone = [
        Outcome(d.pk, ok=False, permanent=True, error="account deleted")
        for d in deliveries
        if d.user is None
    ]
    retry_in: float | None = None
    retry_ids: list[tuple[int, str]] = []
    # Each batch of outcomes is written as the channel yields it, before it sends more.
    for outcomes in chain(module_for(channel).send(ready) if ready else (), [gone]):
        delay = record_outcomes(deliveries, outcomes)
        if delay is not None:
            retry_in = delay if retry_in is None else min(retry_in, delay)
            retry_ids += [(o.delivery_id, channel) for o in outcomes if not (o.ok or o.permanent)]
    if retry_in is not None and retry_in <= MAX_COUNTDOWN:
        enqueue(retry_ids, countdown=retry_in)


def backoff(attempts: int) -> float:
    base = settings.DELIVERY_BACKOFF_BASE_SECONDS
    return float(min(base * 2 ** (attempts - 1), settings.DELIVERY_BACKOFF_CAP_SECONDS))


def record_outcomes(
    deliveries: Sequence[Delivery | OutboundEmail],
    outcomes: list[Outcome],
    model: Outbox = Delivery,
) -> float | None:
    """Write the outcomes in a few bulk updates; return the delay before a retry, if any."""
    now = timezone.now()
    if sent := [o.delivery_id for o in outcomes if o.ok]:
        _mark_sent(model, sent, now)
    failed = {o.delivery_id: o for o in outcomes if not o.ok}
    if not failed:
        return None
    changed: list[Delivery | OutboundEmail] = []
    retry_in: float | None = None
    for delivery in deliveries:
        if (outcome := failed.get(delivery.pk)) is None:
            continue
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
        with transaction.atomic():
            # Only rows still being sent: a member who deleted their account meanwhile
            # had theirs skipped, and the error text must not bring their address back.
            still_sending = set(
                model.objects.select_for_update()
                .filter(pk__in=[d.pk for d in changed], status=DeliveryStatus.SENDING)
                .values_list("pk", flat=True)
            )
            model.objects.bulk_update(
                [d for d in changed if d.pk in still_sending],
                ["status", "last_error", "next_attempt_at"],
            )
    return retry_in


def _mark_sent(model: Outbox, ids: list[int], now: datetime) -> None:
    """Mark sent those of ``ids`` that are still being sent.

    A worker runs this after every e-mail, so it is written in SQL: compiled
    through the ORM it cost the worker more CPU than PostgreSQL spent running it.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk, status, sent_at, last_error, next_attempt_at = (
        quote(model._meta.get_field(name).column) for name in _SENT_COLUMNS
    )
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} "  # noqa: S608 - the names come from the model, the values are parameters
            f"SET {status} = %s, {sent_at} = %s, {last_error} = '', {next_attempt_at} = NULL "
            f"WHERE {pk} IN ({placeholders}) AND {status} = %s",
            [
                DeliveryStatus.SENT,
                connection.ops.adapt_datetimefield_value(now),
                *ids,
                DeliveryStatus.SENDING,
            ],
        )


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
    # A dispatch runs at most a task's hard time limit: one that has not finished by then
    # was lost or killed. The restart is recorded as a new start, so it is queued once
    # per period, not on every sweep while it runs.
    lost_before = now - stale_claim()
    lost = Alert.objects.filter(status=AlertStatus.SENDING, dispatched_at__lte=lost_before)
    for alert_id in lost.values_list("pk", flat=True):
        if Alert.objects.filter(
            pk=alert_id, status=AlertStatus.SENDING, dispatched_at__lte=lost_before
        ).update(dispatched_at=now):
            tasks.dispatch_alert.delay(alert_id)
            counts["redispatched"] += 1
    # Inbox entries are written as sent (migration 0004); while a release deploys, the
    # older one's dispatch may still queue some, which no channel sends any more.
    counts["inapp_delivered"] = Delivery.objects.filter(
        channel=Channel.INAPP, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).update(status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None, claimed_at=None)
    counts["released"], waiting = _recover(Delivery, now)
    counts["enqueued"] = enqueue(waiting.values_list("pk", "channel").iterator())
    counts["outbound_released"], outbound = _recover(OutboundEmail, now)
    counts["outbound_enqueued"] = enqueue_outbound(list(outbound.values_list("pk", flat=True)))
    return counts


def _recover(model: Outbox, now: datetime) -> tuple[int, QuerySet[Any]]:
    """Release the rows claimed by a dead worker; return how many, and the rows due."""
    released = model.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lte=now - stale_claim()
    ).update(status=DeliveryStatus.QUEUED, claimed_at=None)
    due = model.objects.filter(status=DeliveryStatus.QUEUED).filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - LOST_SEND)
    )
    return released, due.order_by("pk")


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
