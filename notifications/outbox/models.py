"""What every message waiting to go out has: a status, attempts, a claim, an outcome.

An alert's ``Delivery`` and an account notice's ``OutboundEmail`` are both built on
``Outbox``, so one pipeline (``notifications.outbox.pipeline``) claims, records and
recovers them alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.outbox import reasons


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class Outbox(models.Model):
    """A message to one recipient, recorded before anything is queued.

    queued → sending (claimed by one worker) → sent | failed, or back to queued with
    ``next_attempt_at`` after a temporary failure; ``skipped`` is for rows that were
    never to be sent (an alert's member who chose otherwise).
    """

    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # Not before: retry backoff and quiet hours.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When a receiving server reported the sent message undeliverable for good (a
    # bounce, notifications.bounces): failed then, but not refused when it was sent.
    bounced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # The Celery task that sends a batch of these rows, by name: the pipeline queues it
    # without importing it (notifications/tasks.py imports the pipeline).
    send_task: ClassVar[str]
    # What the send tasks' arguments are made of, per row (see task_arguments).
    task_key_fields: ClassVar[tuple[str, ...]] = ("pk",)

    class Meta:
        abstract = True

    @property
    def last_error_plain(self) -> str:
        """The last error in words an official can act on, where the server's code says."""
        return reasons.plain(self.last_error)

    @classmethod
    def task_arguments(cls, keys: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """The arguments of the send tasks for rows given by their ``task_key_fields``."""
        raise NotImplementedError
