"""The SMS channel of households on paper: every alert that is a letter to such a household
is also texted to it once a resident has verified its number (``services.verify_phone``).

Dispatch calls ``write`` when it fixes the alert's areas (registered in watch/apps.py), in
its transaction: one ``PaperText`` per (alert, household), inserted in chunks, their send
tasks queued on commit with lists of ids. ``send_paper_texts`` claims them and sends them
through the SMS channel (``notifications.channels.sms.send_texts``), retried like members'
texts (``notifications.outbox.pipeline``). Each text is in the service's language, as the
household chose none, names the area contact, and ends in a short signed link that stops
texts to the number without a login (``stop_token``); handset receipts are recorded as
for members' texts, under the letter ``RECEIPTS``.

Quiet hours are members' defaults (22:00 to 07:00): the household chose none, and a text
that wakes an older resident at night for a tip is what makes them stop all texts.
Urgent alerts go at once, as they do to members.
"""

from __future__ import annotations

import base64
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from notifications.alerts import planning
from notifications.alerts import selectors as alert_selectors
from notifications.alerts.models import Alert, Severity
from notifications.channels import sms
from notifications.outbox import pipeline
from notifications.outbox.models import DeliveryStatus
from notifications.outbox.pipeline import Outcome
from notifications.preferences.models import DEFAULT_QUIET_END, DEFAULT_QUIET_START
from notifications.rendering import absolute
from notifications.sms.backends import SMSMessage
from notifications.sms.segments import fit_to_segments
from watch.paper import selectors
from watch.paper.models import PaperHousehold, PaperText

# The letter of these texts' handset receipt URLs (notifications.channels.sms).
RECEIPTS = "p"
# Rows per INSERT at dispatch.
CHUNK_SIZE = 1000
_STOP_SALT = "watch.paper.texts.stop"
# 10 bytes of HMAC-SHA256, 16 base32 characters: short in a text, 80 bits to guess.
_SIGNATURE_BYTES = 10
# Recorded on a text not sent: its household stopped texts, changed its number or was
# claimed while it waited (for the morning, or a retry).
NOT_VERIFIED = "the household's number is no longer verified"


# --- The stop link ------------------------------------------------------------------------


def _signature(pk: int, phone: str) -> str:
    digest = salted_hmac(_STOP_SALT, f"{pk}:{phone}", algorithm="sha256").digest()
    return base64.b32encode(digest[:_SIGNATURE_BYTES]).decode().lower()


def stop_token(paper: PaperHousehold) -> str:
    """The stop link's token: the household and its number, signed. A link texted to an
    earlier number stops nothing on the new one."""
    return f"{paper.pk}-{_signature(paper.pk, paper.phone)}"


def paper_of(token: str) -> PaperHousehold | None:
    """The household a stop link was texted to, while its number is the one texted; None
    for a forged or altered token, or a household claimed or removed since."""
    pk, _dash, signature = token.partition("-")
    if not (pk.isascii() and pk.isdigit() and len(pk) < 19):
        return None
    paper = PaperHousehold.objects.filter(pk=int(pk)).exclude(phone="").first()
    if paper is None or not constant_time_compare(signature, _signature(paper.pk, paper.phone)):
        return None
    return paper


# --- Dispatch -----------------------------------------------------------------------------


def write(alert: Alert, area_ids: list[int], now: datetime) -> None:
    """A text for each household on paper of the areas with a verified number, by the
    letters' rule (``selectors.letter_alerts``): tests, exercises and expired alerts
    are not texted."""
    if alert.is_exercise or (alert.expires_at is not None and alert.expires_at <= now):
        return
    wake = None
    if alert.severity != Severity.URGENT:
        wake = planning.quiet_hours_end(True, DEFAULT_QUIET_START, DEFAULT_QUIET_END, now)
    households = list(
        selectors.verified_numbers(area_ids)
        .order_by("household_id")
        .values_list("household_id", flat=True)
    )
    if not households:
        return  # one query for the many areas with no number to text
    for start in range(0, len(households), CHUNK_SIZE):
        PaperText.objects.bulk_create(
            [
                PaperText(
                    alert=alert, household_id=household_id, next_attempt_at=wake, created_at=now
                )
                for household_id in households[start : start + CHUNK_SIZE]
            ],
            ignore_conflicts=True,
        )
    # Those held for the morning are the sweep's, once their time comes.
    due = PaperText.objects.filter(
        alert=alert, status=DeliveryStatus.QUEUED, next_attempt_at__isnull=True
    )
    pipeline.queue_on_commit(PaperText, due.order_by("pk"))


# --- Sending ------------------------------------------------------------------------------


def text_for(alert: Alert, paper: PaperHousehold, contact: str) -> str:
    """The alert in the service's language, fitted to ``SMS_MAX_SEGMENTS`` before the
    area contact's name and the stop link, which are never cut."""
    with translation.override(settings.LANGUAGE_CODE):
        whole = sms.full_text(alert, alert_selectors.text_in(alert, settings.LANGUAGE_CODE))
        link = absolute(reverse("watch:paper_sms_stop", args=[stop_token(paper)]))
        stop = _("Stop texts: %(link)s") % {"link": link}
        signed = _("Area contact: %(name)s.") % {"name": contact}
    # A contact's long name does not fit a one-segment setting: the stop link must.
    tails = [f"{signed} {stop}", stop] if contact else [stop]
    for tail in tails:
        try:
            return fit_to_segments(f"{whole}\n{tail}", link=tail)
        except ValueError:
            continue
    raise ValueError("The stop link alone does not fit SMS_MAX_SEGMENTS.")


def send(texts: list[PaperText], numbers: dict[int, selectors.VerifiedNumber]) -> list[Outcome]:
    contacts = selectors.contact_names({number.area_id for number in numbers.values()})
    messages = []
    for text in texts:
        number = numbers[text.household_id]
        messages.append(
            SMSMessage(
                to=number.paper.phone,
                body=text_for(text.alert, number.paper, contacts.get(number.area_id, "")),
                reference=str(text.pk),
                receipt_url=sms.receipt_url(text.pk, RECEIPTS),
            )
        )
    return sms.send_texts(messages)


def send_paper_texts(ids: list[int]) -> None:
    """Send the queued, due texts among ``ids`` to numbers that are still verified."""
    claimed = pipeline.claim(PaperText, ids, timezone.now())
    if not claimed:
        return
    texts = list(PaperText.objects.filter(pk__in=claimed).select_related("alert").order_by("pk"))
    numbers = selectors.verified_numbers_of([text.household_id for text in texts])
    ready = [text for text in texts if text.household_id in numbers]
    pipeline.skip(
        PaperText,
        [text.pk for text in texts if text.household_id not in numbers],
        last_error=NOT_VERIFIED,
    )
    pipeline.send(PaperText, texts, [send(ready, numbers)] if ready else [])


# --- The composer's Check step and the alert's report ------------------------------------


def preview(alert: Alert, area_ids: list[int], now: datetime) -> list[planning.OtherPreview]:
    """What the areas' households on paper will get, by the letters' rule: a text to
    those with a verified number, a letter from their contact to the others."""
    if alert.is_exercise or (alert.expires_at is not None and alert.expires_at <= now):
        return []
    counts = selectors.paper_households_of(area_ids).aggregate(
        total=Count("pk", distinct=True),
        texted=Count(
            "pk",
            filter=Q(phone_verified_at__isnull=False) & ~Q(phone=""),
            distinct=True,
        ),
    )
    if not counts["total"]:
        return []
    return [
        planning.OtherPreview(_("Texts to households on paper"), counts["texted"]),
        planning.OtherPreview(
            _("Letters from the area contact to households on paper"),
            counts["total"] - counts["texted"],
        ),
    ]


def report_counts(alert: Alert) -> alert_selectors.OtherMessages | None:
    """The alert's texts to households on paper, for its report; None if it had none."""
    counts = PaperText.objects.filter(alert=alert).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        waiting=Count("pk", filter=Q(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING])),
    )
    if not counts["total"]:
        return None
    return alert_selectors.OtherMessages(
        _("Texts to households on paper"), counts["sent"], counts["failed"], counts["waiting"]
    )
