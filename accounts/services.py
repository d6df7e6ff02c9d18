"""Members' rights over their personal data, and how long the service keeps it.

Deleting an account anonymises the user row rather than deleting it: the row keeps
no name, address, e-mail or phone, cannot log in, and still holds together what
others need — the sender's delivery counts (one member per user row), the history
of join decisions and the audit log's "one person did these things".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import selectors
from accounts.models import User
from notifications.alerts.models import Alert, Delivery, SkipReason
from notifications.notices.models import OutboundEmail
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import MemberSettings, Preference
from watch import permissions
from watch.audit import services as audit_services
from watch.audit.models import AuditAction, AuditEntry
from watch.community.models import Observation
from watch.households import services as household_services
from watch.households.models import Interest
from watch.roles.models import AreaContact, Official

DELETED_EMAIL_DOMAIN = "deleted.invalid"  # RFC 2606: can never be a real mailbox
PURGE_CHUNK_SIZE = 5000


def export_personal_data(*, user: User) -> dict[str, Any]:
    audit_services.record(actor=user, action=AuditAction.PERSONAL_DATA_EXPORTED, subject=user)
    return selectors.personal_data(user)


def delete_account(*, user: User) -> None:
    """Erase ``user``'s personal data and close the account for good."""
    email = user.email
    with transaction.atomic():
        household_services.leave_household(user=user)
        AreaContact.objects.filter(user=user).delete()
        Official.objects.filter(user=user).delete()
        Interest.objects.filter(registered_by=user).delete()
        Preference.objects.filter(user=user).delete()
        MemberSettings.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        # Messages not yet sent are not sent; an error text may quote the address.
        Delivery.objects.filter(
            user=user, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
        ).update(status=DeliveryStatus.SKIPPED, reason=SkipReason.OPTED_OUT, next_attempt_at=None)
        Delivery.objects.filter(user=user).exclude(last_error="").update(last_error="")
        # Account notices to the member, sent or not, are theirs alone and hold their
        # address: none is kept (nor sent), invitations to the address included.
        OutboundEmail.objects.filter(Q(user=user) | Q(to__iexact=email)).delete()
        # Entries about the member may quote their address; an invitation, their e-mail.
        AuditEntry.objects.filter(
            Q(subject=user) | Q(action=AuditAction.HOUSEHOLD_INVITED, detail__iexact=email)
        ).exclude(detail="").update(detail="")
        user.email = f"deleted-{user.pk}@{DELETED_EMAIL_DOMAIN}"
        user.full_name = ""
        user.phone = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        # Also ends the account's sessions elsewhere: they carry a hash of the password.
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        # Nobody is named: the entry only says that an account was deleted, and when.
        audit_services.record(actor=None, action=AuditAction.ACCOUNT_DELETED)
    permissions.forget_roles(user)


# --- Retention -----------------------------------------------------------------------------


def purge_expired_records(*, now: datetime | None = None) -> dict[str, int]:
    """Delete deliveries, account e-mails, audit entries and observations past retention.

    Deliveries go with the age of their alert (sent, or created if it never went
    out), so the purge walks the delivery table by its alert index rather than
    scanning it for dates. Account e-mails go with their own age, once finished:
    one still queued or being sent is not history yet.
    """
    now = now or timezone.now()
    delivery_cutoff = now - timedelta(days=settings.DELIVERY_RETENTION_DAYS)
    old_alerts = Alert.objects.filter(
        Q(sent_at__lt=delivery_cutoff) | Q(sent_at__isnull=True, created_at__lt=delivery_cutoff)
    ).values("pk")
    audit_cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    observation_cutoff = now - timedelta(days=settings.OBSERVATION_RETENTION_DAYS)
    return {
        "deliveries": _delete_in_chunks(Delivery.objects.filter(alert__in=old_alerts)),
        "outbound_emails": _delete_in_chunks(
            OutboundEmail.objects.filter(
                created_at__lt=delivery_cutoff,
                status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED],
            )
        ),
        "audit_entries": _delete_in_chunks(AuditEntry.objects.filter(created_at__lt=audit_cutoff)),
        "observations": _delete_in_chunks(
            Observation.objects.filter(created_at__lt=observation_cutoff), file_field="photo"
        ),
    }


def _delete_in_chunks(rows: QuerySet[Any], *, file_field: str = "") -> int:
    """Delete ``rows`` a chunk at a time: two queries per chunk, short transactions.

    ``file_field`` names a file column whose files go with their rows (after the rows,
    so a failed delete never leaves a row pointing at a missing file).
    """
    deleted = 0
    columns = ("pk", file_field) if file_field else ("pk",)
    while chunk := list(rows.order_by().values_list(*columns)[:PURGE_CHUNK_SIZE]):
        count, _by_model = rows.model.objects.filter(pk__in=[row[0] for row in chunk]).delete()
        deleted += count
        if file_field:
            storage = rows.model._meta.get_field(file_field).storage
            for _pk, name in chunk:
                if name:
                    storage.delete(name)
    return deleted
