"""Importing public warnings, ending them as their publisher does, and forwarding one."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.alerts.models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Alert,
    Kind,
    Severity,
    TargetKind,
)
from notifications.alerts.services import send_alert
from official import fetching
from official.public_warnings import answers, permissions, selectors
from official.public_warnings.models import Ending, PublicWarning
from watch.areas.models import Municipality

FEED = "public_warnings"


def import_warnings() -> int | None:
    """Fetch the current warnings if it is the feed's turn, store those that concern the
    deployment's municipalities and end those their publisher ended.

    One call for all of Sweden's current messages (they are few), matched here by the
    municipality's SCB code or its county's. Returns how many new warnings were stored,
    or None if no call was made or it failed; a failure changes nothing.
    """
    source = fetching.source(
        settings.PUBLIC_WARNINGS_BACKEND,
        url=settings.PUBLIC_WARNINGS_URL,
        recorded_file=settings.PUBLIC_WARNINGS_RECORDED_FILE,
    )
    municipalities = list(Municipality.objects.all())
    if source is None or not municipalities:
        return None
    interval = timedelta(seconds=settings.PUBLIC_WARNINGS_INTERVAL_SECONDS)
    if not fetching.take_turn(FEED, interval):
        # Still refreshed: the banners survive a restart of the cache within a minute.
        selectors.publish_current()
        return None
    try:
        answer = answers.read(source.fetch({}))
    except (fetching.FeedUnavailable, answers.UnreadableAnswer) as error:
        fetching.failed(FEED, error, interval=interval)
        selectors.publish_current()
        return None
    with transaction.atomic():
        stored = _store(answer.messages, municipalities)
        _end(answer)
    fetching.succeeded(FEED)
    selectors.publish_current()
    return stored


def _store(messages: list[answers.Message], municipalities: list[Municipality]) -> int:
    known = set(
        PublicWarning.objects.filter(
            identifier__in=[message.identifier for message in messages]
        ).values_list("identifier", flat=True)
    )
    stored = 0
    for message in messages:
        if message.msg_type == "Cancel" or message.identifier in known:
            continue  # never edited: a message's text and time are the publisher's
        concerned = [
            municipality
            for municipality in municipalities
            if municipality.code in message.municipality_codes
            or municipality.code[:2] in message.county_codes
        ]
        if not concerned:
            continue
        warning = PublicWarning.objects.create(
            identifier=message.identifier,
            sender=message.sender,
            sent_at=message.sent_at,
            msg_type=message.msg_type,
            headline=message.headline,
            description=message.description,
            instruction=message.instruction,
            web=message.web,
            sender_name=message.sender_name,
            severity=message.severity,
            expires_at=message.expires_at,
            area_description=message.area_description,
        )
        warning.municipalities.set(concerned)
        stored += 1
    return stored


def _end(answer: answers.Answer) -> None:
    """A Cancel ends the messages it references, an Update replaces them, and a message
    the publisher no longer lists has been withdrawn."""
    for message in answer.messages:
        if message.references and message.msg_type in {"Cancel", "Update"}:
            PublicWarning.objects.filter(
                identifier__in=message.references, ended_at__isnull=True
            ).update(
                ended_at=message.sent_at,
                ending=Ending.CANCELLED if message.msg_type == "Cancel" else Ending.UPDATED,
            )
    PublicWarning.objects.filter(ended_at__isnull=True).exclude(
        identifier__in=answer.listed
    ).update(ended_at=timezone.now(), ending=Ending.WITHDRAWN)


def forward(*, actor: User, warning: PublicWarning) -> Alert:
    """Send ``warning`` to the members of the actor's municipalities it concerns, through
    the normal pipeline: its text verbatim, with its source and its own time."""
    if not permissions.concerned_municipalities(actor, warning):
        raise PermissionDenied
    body = forwarded_body(warning)
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("This warning is too long to forward unchanged: send its link instead.")
        )
    with transaction.atomic():
        # Locked so that two coordinators forwarding at once send it once.
        PublicWarning.objects.select_for_update().filter(pk=warning.pk).first()
        municipalities = permissions.forwardable_municipalities(actor, warning)
        if not municipalities:
            raise ValidationError(_("This warning has already been sent to the members."))
        alert = Alert.objects.create(
            author=actor,
            kind=Kind.WARNING,
            severity=Severity.URGENT,
            title=warning.headline[:TITLE_MAX_LENGTH],
            body=body,
            target_kind=TargetKind.MUNICIPALITIES,
            is_public=False,
            replies_allowed=False,
            source=permissions.source(warning),
            source_url=warning.web,
        )
        alert.target_municipalities.set(municipalities)
        send_alert(actor=actor, alert=alert)
    return alert


def forwarded_body(warning: PublicWarning) -> str:
    """The warning's text unchanged, then where and when it was published, in Swedish
    like the warning itself."""
    with translation.override("sv"):
        sent = formats.date_format(timezone.localtime(warning.sent_at), "j F Y, H:i")
        source = _("Public warning (VMA) from %(sender)s, published %(sent)s.") % {
            "sender": warning.sender_name or _("Sveriges Radio"),
            "sent": sent,
        }
    lines = [warning.text, "", source]
    if warning.web:
        lines.append(warning.web)
    return "\n".join(lines)
