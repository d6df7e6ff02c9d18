"""Account notices: one-off e-mails about a person's own account, sent like deliveries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.outbox.models import Outbox


class OutboundEmail(Outbox):
    """One account notice (a join decision, an appointment, an invitation) to one address.

    Recorded in the transaction of the change it reports and sent like a Delivery:
    claimed, sent, its outcome written, retried with backoff, swept if its task is
    lost. It is ``skipped`` only when its address was suspended before it went out.
    """

    to = models.EmailField(max_length=254)
    # Empty for people without an account (an invitation to an address).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    language = models.CharField(max_length=8)
    template = models.CharField(max_length=100)
    # JSON-ready values only: it is rendered by a worker, later, maybe after a retry.
    context = models.JSONField(default=dict, blank=True)

    send_task = "notifications.tasks.send_outbound_emails"
    # Notices per send task, over one SMTP connection.
    batch_size = 100

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        indexes = [
            # The sweep's question, as for deliveries.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="notif_outbound_pending",
            ),
            # The retention purge's.
            models.Index(fields=["created_at"], name="notif_outbound_created"),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.pk}: {self.status}"

    @classmethod
    def task_arguments(cls, keys: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        ids = [pk for (pk,) in keys]
        for start in range(0, len(ids), cls.batch_size):
            yield (ids[start : start + cls.batch_size],)


class StoppedAddress(models.Model):
    """An address that asked for no more invitations, kept as a hash of the address only.

    Invitations are the one kind of mail this site sends to people without an account;
    each carries a one-click link that adds its address here, and every later
    invitation to it is dropped (``services.notify_addresses``). The SHA-256 of the
    lower-cased address matches it without keeping it, and survives a rotated
    SECRET_KEY. It belongs to no account, so no one's data export holds it.
    """

    address_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("address that takes no invitations")
        verbose_name_plural = _("addresses that take no invitations")

    def __str__(self) -> str:
        return self.address_hash[:12]


class BouncingAddress(models.Model):
    """Hard bounces of one address; at ``BOUNCE_SUSPEND_AFTER`` it is suspended.

    A suspended address gets no more mail: an alert's e-mail to it is not sent (skipped,
    ``address_suspended``) and account notices to it are not written. The address is
    kept as the SHA-256 of its lower-cased form, like ``StoppedAddress``; ``user`` is the
    member whose address it was when it bounced, at most one row per member (a new
    address starts afresh), and is what the member's data export, erasure and the
    retention purge find it by. Correcting or confirming the address again lifts the
    suspension (``notifications.bounces.services``).
    """

    address_hash = models.CharField(max_length=64, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bouncing_address",
    )
    hard_bounces = models.PositiveSmallIntegerField(default=0)
    last_bounced_at = models.DateTimeField(default=timezone.now)
    suspended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bouncing e-mail address")
        verbose_name_plural = _("bouncing e-mail addresses")

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}: {self.hard_bounces}"
