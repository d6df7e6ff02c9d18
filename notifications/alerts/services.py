"""Starting a follow-up, sending and cancelling an alert: constant work for any audience.

``send_alert`` records the alert and queues one dispatch task after the commit
(``notifications.alerts.delivery``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config.celery_app import enqueue_on_commit
from notifications import permissions
from notifications.alerts import delivery, sender, targeting
from notifications.alerts.models import Alert, AlertStatus, AlertVersion
from watch.audit.models import AuditAction
from watch.audit.services import record


def follow_up_target(*, alert: Alert, actor: User) -> None:
    """A new follow-up (an update or cancellation) starts out going where the earlier
    alert went, as far as ``actor`` may send, and public if it was public: a correction
    the public never sees leaves them the error. The composer's steps show both to change."""
    original = alert.refers_to
    if original is None:
        return
    alert.is_public = original.is_public
    same_target = original.target_kind in permissions.allowed_target_kinds(actor)
    if same_target:
        alert.target_kind = original.target_kind
        alert.target_shape = original.target_shape
    alert.save(
        update_fields=["is_public", "target_kind", "target_shape"] if same_target else ["is_public"]
    )
    if same_target:
        alert.target_areas.set(original.target_areas.filter(permissions.sendable_areas(actor)))
        alert.target_municipalities.set(
            original.target_municipalities.filter(permissions.sendable_municipalities(actor))
        )


def set_versions(*, alert: Alert, versions: dict[str, tuple[str, str]]) -> None:
    """Make the draft's versions ``versions`` (language → title, text): the ones given
    are written, every other goes. Each is checked as the admin would (a language the
    deployment does not list is refused), so nothing is written if one is wrong."""
    rows = [
        AlertVersion(alert=alert, language=code, title=title, body=body)
        for code, (title, body) in versions.items()
    ]
    for row in rows:
        row.full_clean(exclude=["alert"], validate_unique=False)
    with transaction.atomic():
        alert.versions.exclude(language__in=versions).delete()
        AlertVersion.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["alert", "language"],
            update_fields=["title", "body"],
        )


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
        municipality_ids = targeting.target_municipality_ids(alert)
        alert.municipalities.set(municipality_ids)
        # Who it is from, as its copies will say: fixed now, whatever roles change later.
        alert.sender_role, alert.sender_places = sender.describe(
            actor=actor, alert=alert, municipality_ids=municipality_ids
        )
        Alert.objects.filter(pk=alert.pk).update(
            sender_role=alert.sender_role, sender_places=alert.sender_places
        )
        for municipality_id in sorted(municipality_ids):
            record(
                actor=actor,
                action=AuditAction.ALERT_SENT,
                municipality=municipality_id,
                detail=f"{alert.pk}: {alert.title}",
            )
        if not scheduled:
            # Recorded before it is queued: if the broker is down the request still
            # succeeds, and the sweep dispatches the alert once it is back.
            Alert.objects.filter(pk=alert.pk).update(dispatched_at=now)
            enqueue_on_commit(delivery.DISPATCH_TASK, alert.pk)
    return alert


def discard_draft(*, actor: User, alert: Alert) -> None:
    """Delete a draft its author no longer wants: it never went anywhere, so nothing of it
    is kept (opening an update and leaving it had left a draft in the list for good)."""
    deleted, _rows = Alert.objects.filter(
        pk=alert.pk, status=AlertStatus.DRAFT, author=actor
    ).delete()
    if not deleted:
        raise ValidationError(_("Only your own draft can be deleted."))


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
    for municipality_id in alert.municipalities.values_list("pk", flat=True):
        record(
            actor=actor,
            action=AuditAction.ALERT_CANCELLED,
            municipality=municipality_id,
            detail=f"{alert.pk}: {alert.title}",
        )
    return alert
