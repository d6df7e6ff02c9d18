"""What the notifications app holds about a person: their choices, every delivery to
them and the account notices sent to them (``accounts.personal_data``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q

from accounts.models import User
from accounts.personal_data import PersonalData, delete_in_chunks
from notifications.alerts.models import Alert, Delivery, SkipReason
from notifications.answers.models import Notice
from notifications.answers.selectors import notices
from notifications.notices.models import BouncingAddress, OutboundEmail
from notifications.notices.services import address_hash
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import MemberSettings, Preference
from notifications.push.models import PushSubscription
from notifications.replies.models import Conversation, Reply


def export(user: User) -> dict[str, Any]:
    return {
        "preferences": list(
            Preference.objects.filter(user=user)
            .order_by("kind")
            .values("kind", "email", "sms", "inapp", "push")
        ),
        "member_settings": MemberSettings.objects.filter(user=user)
        .values(
            "alert_language",
            "quiet_hours_enabled",
            "quiet_hours_start",
            "quiet_hours_end",
            "email_floor",
            "sms_floor",
            "inapp_floor",
            "push_floor",
            "verified_phone",
        )
        .first(),
        "deliveries": list(
            Delivery.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values(
                "alert__title",
                "channel",
                "language",
                "status",
                "reason",
                "created_at",
                "sent_at",
                "read_at",
            )
        ),
        "account_emails": list(
            OutboundEmail.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values("to", "template", "status", "created_at", "sent_at", "bounced_at")
        ),
        # Their conversations about alerts: what they wrote and the answers (not who
        # answered: the handlers' names are theirs).
        "replies": list(
            Reply.objects.filter(conversation__member=user)
            .order_by("created_at", "pk")
            .values("conversation__alert__title", "from_member", "text", "photo", "created_at")
        ),
        # What they were told of answers to their replies and reports, in their inbox.
        "answer_notices": list(notices(user.pk).values("line", "path", "created_at", "read_at")),
        # The devices they set up for push: which browser, since when (not the keys).
        "push_devices": list(
            PushSubscription.objects.filter(user=user).order_by("pk").values("label", "created_at")
        ),
        # Hard bounces of their address, and whether it is suspended (notifications.bounces).
        "email_bounces": list(
            BouncingAddress.objects.filter(user=user).values(
                "hard_bounces", "last_bounced_at", "suspended_at"
            )
        ),
    }


def erase(user: User) -> None:
    """Choices go. Deliveries stay, pointing at the anonymised user, so senders' counts
    stay right; those not yet sent are not sent, and error texts (which may quote the
    address) are blanked. Account notices to the person or their address go, sent or not."""
    Preference.objects.filter(user=user).delete()
    delete_in_chunks(Reply.objects.filter(conversation__member=user), file_field="photo")
    Conversation.objects.filter(member=user).delete()
    notices(user.pk).delete()
    MemberSettings.objects.filter(user=user).delete()
    PushSubscription.objects.filter(user=user).delete()
    Delivery.objects.filter(
        user=user, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).update(status=DeliveryStatus.SKIPPED, reason=SkipReason.OPTED_OUT, next_attempt_at=None)
    Delivery.objects.filter(user=user).exclude(last_error="").update(last_error="")
    OutboundEmail.objects.filter(Q(user=user) | Q(to__iexact=user.email)).delete()
    BouncingAddress.objects.filter(Q(user=user) | Q(address_hash=address_hash(user.email))).delete()


def purge(now: datetime) -> dict[str, int]:
    """Deliveries go with the age of their alert (sent, or created if it never went
    out), so the purge walks the delivery table by its alert index rather than scanning
    it for dates. Account notices go with their own age, once finished: one still
    queued or being sent is not history yet."""
    cutoff = now - timedelta(days=settings.DELIVERY_RETENTION_DAYS)
    old_alerts = Alert.objects.filter(
        Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, created_at__lt=cutoff)
    ).values("pk")
    return {
        "deliveries": delete_in_chunks(Delivery.objects.filter(alert__in=old_alerts)),
        # Replies go with the deliveries of the alert they answer; their photos with them.
        "replies": delete_in_chunks(
            Reply.objects.filter(conversation__alert__in=old_alerts), file_field="photo"
        ),
        "conversations": delete_in_chunks(Conversation.objects.filter(alert__in=old_alerts)),
        # A notice only points at a page; it goes with the age of a delivery.
        "notices": delete_in_chunks(Notice.objects.filter(created_at__lt=cutoff)),
        "outbound_emails": delete_in_chunks(
            OutboundEmail.objects.filter(
                created_at__lt=cutoff, status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED]
            )
        ),
        # A count of bounces that never reached a suspension starts afresh after a quiet
        # year; a suspension stays while the address does (or mail to it would resume).
        "email_bounces": delete_in_chunks(
            BouncingAddress.objects.filter(last_bounced_at__lt=cutoff, suspended_at__isnull=True)
        ),
    }


PERSONAL_DATA = PersonalData(export=export, erase=erase, purge=purge)
