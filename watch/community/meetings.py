"""Meetings of a watch area, their invitations, and the area's calendar feed.

A meeting is created, changed and cancelled by the area's contacts, its
municipality's coordinators or an admin (``permissions.can_schedule_meeting``).
Creating it invites the members: a meeting-invitation Alert to the area, sent
through the ordinary delivery pipeline (``notifications.services.send_alert``),
whose e-mail copies carry the meeting as an iCalendar attachment (see
``watch.community.ical`` and ``notifications.channels.email``). A change or cancellation
bumps the meeting's SEQUENCE, so calendars replace their copy, and may send an
update Alert that refers to the first invitation.

Members subscribe to their area's calendar by a URL carrying a signed token for
(member, area). Calendar apps fetch it without logging in, so the token is the
authority; the membership is checked on every fetch, so a household that leaves
or is removed stops getting the calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from functools import partial

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.alerts.models import TITLE_MAX_LENGTH, Alert, Kind, Severity, TargetKind
from notifications.alerts.services import send_alert
from notifications.rendering import absolute
from watch import permissions
from watch.areas.models import AreaStatus, WatchArea
from watch.community import ical
from watch.community.models import Meeting
from watch.households.models import Membership, MembershipStatus

CALENDAR_SALT = "watch.calendar"
# The feed keeps recent meetings too, so "what was decided last week?" stays findable.
FEED_PAST = timedelta(days=90)
FEED_MAX_MEETINGS = 200
MAX_DURATION = timedelta(hours=12)
MAX_AHEAD = timedelta(days=2 * 365)


@dataclass(frozen=True)
class MeetingDetails:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str = ""


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    """Raise a ValidationError keyed by field unless the meeting is a sensible future one."""
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError({"starts_at": _("The meeting must start in the future.")})
    if starts_at > now + MAX_AHEAD:
        raise ValidationError({"starts_at": _("The meeting must start within two years.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if ends_at - starts_at > MAX_DURATION:
        raise ValidationError({"ends_at": _("A meeting can last at most 12 hours.")})


# --- Writes ------------------------------------------------------------------------------


def create_meeting(*, actor: User, area: WatchArea, details: MeetingDetails) -> Meeting:
    """Save the meeting and, in an active area, invite its members."""
    if not permissions.can_schedule_meeting(actor, area):
        raise PermissionDenied
    check_times(details.starts_at, details.ends_at)
    with transaction.atomic():
        meeting = Meeting.objects.create(area=area, created_by=actor, **asdict(details))
        _announce(actor=actor, meeting=meeting, title=meeting.title, refers_to=None)
    return meeting


def update_meeting(
    *, actor: User, meeting: Meeting, details: MeetingDetails, notify: bool
) -> Meeting:
    """Change the meeting and bump its SEQUENCE; ``notify`` sends an update to the members."""
    if not permissions.can_schedule_meeting(actor, meeting.area):
        raise PermissionDenied
    check_times(details.starts_at, details.ends_at)
    with transaction.atomic():
        # Conditional: a meeting cancelled meanwhile is not changed back.
        changed = Meeting.objects.filter(pk=meeting.pk, cancelled=False).update(
            sequence=F("sequence") + 1, updated_at=timezone.now(), **asdict(details)
        )
        if changed != 1:
            raise ValidationError(_("This meeting has been cancelled and cannot be changed."))
        meeting.refresh_from_db()
        if notify:
            _announce(
                actor=actor,
                meeting=meeting,
                title=_("Changed: %(title)s") % {"title": meeting.title},
                refers_to=first_invitation(meeting),
            )
    return meeting


def cancel_meeting(*, actor: User, meeting: Meeting) -> Meeting:
    """Cancel the meeting (SEQUENCE bumped, STATUS:CANCELLED) and tell the members."""
    if not permissions.can_schedule_meeting(actor, meeting.area):
        raise PermissionDenied
    with transaction.atomic():
        changed = Meeting.objects.filter(pk=meeting.pk, cancelled=False).update(
            cancelled=True, sequence=F("sequence") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            raise ValidationError(_("This meeting has already been cancelled."))
        meeting.refresh_from_db()
        _announce(
            actor=actor,
            meeting=meeting,
            title=_("Cancelled: %(title)s") % {"title": meeting.title},
            refers_to=first_invitation(meeting),
            cancels_original=True,
        )
    return meeting


def invitation_attachments(alerts: Sequence[Alert]) -> dict[int, Callable[[str], MIMEText]]:
    """The calendar file of each meeting invitation among ``alerts``, per attendee.

    Registered with the e-mail channel (watch/apps.py); the batch's meetings are read in
    one query, as they are now: a file shows the meeting's latest time and place.
    """
    ids = {alert.meeting_id for alert in alerts if alert.meeting_id is not None}
    meetings = Meeting.objects.in_bulk(ids) if ids else {}
    return {
        alert.pk: partial(_attachment, meeting)
        for alert in alerts
        if (meeting := meetings.get(alert.meeting_id)) is not None
    }


def _attachment(meeting: Meeting, address: str) -> MIMEText:
    return ical.invitation_attachment(meeting, attendee=address)


def first_invitation(meeting: Meeting) -> Alert | None:
    return meeting.invitations.filter(refers_to__isnull=True).order_by("created_at").first()


def _announce(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    refers_to: Alert | None,
    cancels_original: bool = False,
) -> None:
    """Send a meeting Alert to the area. Alerts go to active areas only; others get none."""
    if meeting.area.status != AreaStatus.ACTIVE:
        return
    alert = Alert.objects.create(
        author=actor,
        kind=Kind.MEETING,
        severity=Severity.INFO,
        title=title[:TITLE_MAX_LENGTH],
        body=_invitation_body(meeting),
        target_kind=TargetKind.AREAS,
        expires_at=meeting.ends_at,
        meeting=meeting,
        refers_to=refers_to,
        cancels_original=cancels_original and refers_to is not None,
    )
    alert.target_areas.set([meeting.area])
    send_alert(actor=actor, alert=alert)


def _invitation_body(meeting: Meeting) -> str:
    """The alert's text, in the sender's language; the calendar file carries the details."""
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    end_format = "TIME_FORMAT" if ends.date() == starts.date() else "DATETIME_FORMAT"
    when = _("When: %(starts)s - %(ends)s") % {
        "starts": formats.date_format(starts, "DATETIME_FORMAT"),
        "ends": formats.date_format(ends, end_format),
    }
    parts = [
        str(meeting.get_kind_display()),
        when,
        _("Where: %(place)s") % {"place": meeting.location},
    ]
    if meeting.cancelled:
        parts.insert(0, _("This meeting has been cancelled."))
    if meeting.description:
        parts.append(meeting.description)
    return "\n\n".join(parts)


# --- Reads -------------------------------------------------------------------------------


def upcoming(area: WatchArea) -> QuerySet[Meeting]:
    """Meetings not yet over, cancelled ones included (so the change is visible)."""
    return area.meetings.filter(ends_at__gte=timezone.now()).order_by("starts_at")


def feed_meetings(area: WatchArea) -> list[Meeting]:
    return list(
        area.meetings.filter(cancelled=False, ends_at__gte=timezone.now() - FEED_PAST).order_by(
            "starts_at"
        )[:FEED_MAX_MEETINGS]
    )


# --- The calendar subscription -----------------------------------------------------------


def calendar_token(*, user: User, area: WatchArea) -> str:
    # Without a timestamp: a calendar app keeps the URL for years, and the household page
    # should show the same address on every visit.
    return signing.Signer(salt=CALENDAR_SALT).sign_object({"u": user.pk, "a": area.pk})


def calendar_url(*, user: User, area: WatchArea) -> str:
    return absolute(reverse("watch:area_calendar", args=[calendar_token(user=user, area=area)]))


def subscribe_url(calendar_url: str) -> str:
    """The calendar's address as a webcal: link, which calendar apps (Apple's, Outlook)
    open at their own "subscribe to this calendar?"; an https: link would download the
    file once. Empty for no calendar."""
    _scheme, separator, rest = calendar_url.partition("://")
    return f"webcal://{rest}" if separator else ""


def area_for_token(token: str) -> WatchArea | None:
    """The area a calendar token opens, if it is genuine and its member still belongs there."""
    try:
        data = signing.Signer(salt=CALENDAR_SALT).unsign_object(token)
        user_id, area_id = int(data["u"]), int(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    membership = (
        Membership.objects.filter(
            area_id=area_id,
            status=MembershipStatus.APPROVED,
            household__members__user_id=user_id,
            household__members__user__is_active=True,
        )
        .select_related("area")
        .first()
    )
    return membership.area if membership else None
