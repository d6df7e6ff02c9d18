"""A year of alerts and tips, with their deliveries written as history.

Each alert goes to the members its areas had on the day it went out, and each member's
deliveries are what the real dispatch would have planned (``planning.plan``, with the
members' own choices), with the outcomes a year brings: most sent, a few refused by a
mail server, some not sent by the member's choice, a few text messages still waiting for
quiet hours to end. Also a public exercise, an update, a cancellation, a scheduled alert
and a draft.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import User
from notifications.alerts.models import (
    Alert,
    AlertStatus,
    Channel,
    Delivery,
    Kind,
    SenderRole,
    Severity,
    TargetKind,
)
from notifications.alerts.planning import Planned, Recipient, plan
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import MemberSettings, Preference
from notifications.replies.models import Conversation, Reply
from watch.areas.models import AreaStatus
from watch.audit.models import AuditAction, AuditEntry
from watch.community.models import Meeting
from watch.demo import content

if TYPE_CHECKING:
    from notifications.tips.models import Tip
    from watch.demo.loader import AreaHistory, Demo

MAIL_REFUSALS = (
    "550 5.1.1 <{email}>: Recipient address rejected: User unknown",
    "552 5.2.2 Mailbox full",
)


@dataclass
class Choices:
    """A member's channels (the defaults, or what they chose) and phone."""

    email_off: set[str]
    sms_on: set[str]
    verified: bool
    quiet: tuple[time, time]
    # The lowest severity their texts bring (notifications.preferences.SeverityFloor).
    sms_floor: str = Severity.INFO


def load(demo: Demo, tips: list[Tip], meetings: list[Meeting]) -> None:
    choices = member_choices(demo)
    police, coordinator = demo.users["polis@example.com"], demo.users["samordnare@example.com"]
    active = [h for h in demo.histories if h.area.status == AreaStatus.ACTIVE]
    by_town = defaultdict(list)
    for history in active:
        by_town[history.area.municipality.slug].append(history)
    sent: list[tuple[Alert, list[AreaHistory], datetime]] = []

    def send(alert: Alert, targets: list[AreaHistory], at: datetime) -> Alert:
        alert.status, alert.created_at = AlertStatus.SENT, at - timedelta(minutes=12)
        # Who it is from, as send_alert records it: the police and the coordinator for
        # their municipalities, anyone else as the contact of the areas.
        if alert.author in (police, coordinator):
            alert.sender_role = (
                SenderRole.POLICE if alert.author == police else SenderRole.COORDINATOR
            )
            alert.sender_places = sorted({h.area.municipality.name for h in targets})
        else:
            alert.sender_role = SenderRole.AREA_CONTACT
            alert.sender_places = sorted(h.area.name for h in targets)
        alert.dispatched_at, alert.sent_at = at, at + timedelta(seconds=40)
        alert.save()
        sent.append((alert, targets, at))
        return alert

    rng = demo.rng
    # Two or three police alerts and warnings a month, to a few areas or a whole town.
    for month in range(12):
        for _ in range(rng.choice((2, 2, 3))):
            kind, severity, title, body = rng.choice(content.POLICE_ALERTS)
            slug = rng.choice(("mariestad", "mariestad", "toreboda", "gullspang"))
            at = demo.days_ago(month * 30 + rng.uniform(1, 29))
            started = [h for h in by_town[slug] if h.started < at]
            if not started:
                continue
            targets = rng.sample(started, k=min(len(started), rng.choice((1, 1, 2, 9))))
            place = targets[0].area.name
            alert = Alert(
                author=police,
                kind=kind,
                severity=severity,
                title=title.format(area=place),
                body=body.format(area=place),
                target_kind=TargetKind.AREAS,
                is_public=kind != Kind.INFORMATION,
            )
            send(alert, targets, at).target_areas.set([h.area for h in targets])
    # The library's tips, each in its season, to every municipality.
    for tip, days in zip(tips, (165, 240, 300, 20), strict=True):
        alert = Alert(
            author=coordinator,
            kind=Kind.TIP,
            severity=Severity.INFO,
            title=tip.title,
            body=tip.body,
            target_kind=TargetKind.MUNICIPALITIES,
            is_public=True,
        )
        at = demo.days_ago(days)
        send(alert, [h for h in active if h.started < at], at).target_municipalities.set(
            demo.municipalities.values()
        )
    # Area contacts write to their own areas.
    for title, body in content.CONTACT_MESSAGES:
        history = rng.choice([h for h in active if h.members])
        contact = history.area.contacts.first()
        alert = Alert(
            author=contact.user if contact else coordinator,
            kind=Kind.INFORMATION,
            severity=Severity.INFO,
            title=title,
            body=body,
        )
        send(alert, [history], demo.days_ago(rng.uniform(5, 200))).target_areas.set([history.area])
    for meeting in meetings:
        history = next(h for h in demo.histories if h.area == meeting.area)
        at = meeting.created_at
        if (
            meeting.kind != "neighbours"
            or at > demo.now
            or history.area.status != AreaStatus.ACTIVE
        ):
            continue
        alert = Alert(
            author=coordinator,
            kind=Kind.MEETING,
            severity=Severity.INFO,
            title=meeting.title,
            body=f"{meeting.get_kind_display()}\n\n{meeting.location}\n\n{meeting.description}",
            meeting=meeting,
            expires_at=meeting.ends_at,
        )
        send(alert, [history], at).target_areas.set([history.area])
        if meeting.cancelled:
            cancelled = Alert(
                author=coordinator,
                kind=Kind.MEETING,
                severity=Severity.INFO,
                title=f"Inställt: {meeting.title}",
                body="Mötet är inställt. Vi återkommer med ett nytt datum.",
                meeting=meeting,
                refers_to=alert,
                cancels_original=True,
                expires_at=meeting.ends_at,
            )
            send(cancelled, [history], demo.days_ago(1)).target_areas.set([history.area])
    special(demo, send, active)
    write_deliveries(demo, sent, choices)
    load_replies(demo, sent)
    demo.audit += [
        AuditEntry(
            actor=alert.author,
            action=AuditAction.ALERT_SENT,
            municipality_id=municipality_id,
            detail=f"{alert.pk}: {alert.title}",
            created_at=at,
        )
        for alert, targets, at in sent
        for municipality_id in {h.area.municipality_id for h in targets}
    ]


Send = Callable[[Alert, list["AreaHistory"], datetime], Alert]


def load_replies(demo: Demo, sent: list[tuple[Alert, list[AreaHistory], datetime]]) -> None:
    """Members answer the police's latest alerts: one answered (the demo member's, its
    answer not yet read), one the police have not read, one closed."""
    police = demo.users["polis@example.com"]
    resident = demo.users["medlem@example.com"]
    latest = sorted(
        (item for item in sent if item[0].author == police and item[0].kind == Kind.POLICE_ALERT),
        key=lambda item: item[2],
        reverse=True,
    )
    conversations: list[tuple[Conversation, list[Reply]]] = []
    for n, (alert, targets, at) in enumerate(latest[:6]):
        told = [
            user
            for history in targets
            for user, joined, left in history.members
            if joined < at and (left is None or left > at)
        ]
        if not told:
            continue
        # The demo member answers the latest alert they got; others, the rest.
        mine = resident in told and not any(c.member == resident for c, _ in conversations)
        member = resident if mine else demo.rng.choice([u for u in told if u != resident] or told)
        wrote = at + timedelta(hours=demo.rng.uniform(1, 20))
        replies = [Reply(author=member, from_member=True, text=content.REPLIES[n % 4])]
        replies[0].created_at = wrote
        conversation = Conversation(alert=alert, member=member, created_at=wrote)
        conversation.last_reply_at = wrote
        if mine or n % 3 == 0:
            answered = wrote + timedelta(hours=3)
            replies.append(
                Reply(author=police, from_member=False, text=content.REPLY_ANSWERS[n % 2])
            )
            replies[-1].created_at = answered
            conversation.last_answer_at = conversation.handlers_read_at = answered
        if n % 3 == 2:
            conversation.closed_at, conversation.closed_by = wrote + timedelta(days=1), police
            conversation.handlers_read_at = conversation.closed_at
        conversations.append((conversation, replies))
    Conversation.objects.bulk_create([conversation for conversation, _ in conversations])
    for conversation, replies in conversations:
        for reply in replies:
            reply.conversation = conversation
    Reply.objects.bulk_create([reply for _, replies in conversations for reply in replies])


def special(demo: Demo, send: Send, active: list[AreaHistory]) -> None:
    """An exercise, an update and a cancellation of earlier alerts, one scheduled, one draft."""
    police = demo.users["polis@example.com"]
    marieholm = next(h for h in active if h.area.name == "Marieholm")
    mariestad = [h for h in active if h.area.municipality.slug == "mariestad"]
    exercise = Alert(
        author=police,
        kind=Kind.POLICE_ALERT,
        severity=Severity.URGENT,
        title="Övning: test av larmutskick",
        body="Detta är en övning. Du behöver inte göra något.",
        is_public=True,
        is_exercise=True,
    )
    send(exercise, [marieholm], demo.days_ago(240)).target_areas.set([marieholm.area])
    original = Alert(
        author=police,
        kind=Kind.POLICE_ALERT,
        severity=Severity.URGENT,
        title="Inbrott i villor i Marieholm",
        body="I natt har tre villor i Marieholm fått besök av inbrottstjuvar. Har du sett "
        "något, ring polisen på 114 14. Pågående brott: ring 112.",
        is_public=True,
    )
    send(original, [marieholm], demo.days_ago(9)).target_areas.set([marieholm.area])
    update = Alert(
        author=police,
        kind=Kind.POLICE_ALERT,
        severity=Severity.NORMAL,
        title="Uppdatering: Inbrott i villor i Marieholm",
        body="Polisen har gripit två personer som misstänks för inbrotten. Tack för alla tips!",
        is_public=True,
        refers_to=original,
    )
    send(update, [marieholm], demo.days_ago(7)).target_areas.set([marieholm.area])
    warning = Alert(
        author=police,
        kind=Kind.WARNING,
        severity=Severity.NORMAL,
        title="Varning för falska vattenavläsare",
        body="Personer som säger sig läsa av vattenmätare ringer på i Mariestad. Kommunen "
        "skickar alltid brev först. Släpp inte in någon du inte väntar dig.",
        is_public=True,
    )
    send(warning, mariestad, demo.days_ago(30)).target_municipalities.set(
        [demo.municipalities["mariestad"]]
    )
    cancellation = Alert(
        author=police,
        kind=Kind.WARNING,
        severity=Severity.NORMAL,
        title="Återkallad: Varning för falska vattenavläsare",
        body="Varningen gällde personal från kommunens vattenverk, som den här gången inte hade "
        "hunnit skicka brev. Vi ber om ursäkt för oron.",
        is_public=True,
        refers_to=warning,
        cancels_original=True,
    )
    send(cancellation, mariestad, demo.days_ago(29)).target_municipalities.set(
        [demo.municipalities["mariestad"]]
    )
    # The evening's alert, whose texts wait for the members' quiet hours to end.
    evening = Alert(
        author=police,
        kind=Kind.POLICE_ALERT,
        severity=Severity.NORMAL,
        title="Bilinbrott vid Marieholm",
        body="Två bilar har brutits upp på Marieholms parkering i kväll. Tips till 114 14.",
        is_public=True,
    )
    send(evening, [marieholm], demo.days_ago(1 / 48)).target_areas.set([marieholm.area])
    scheduled = Alert(
        author=police,
        kind=Kind.INFORMATION,
        severity=Severity.INFO,
        title="Kom på informationsträff om inbrottsskydd",
        body="Kommunpolisen och säkerhetssamordnaren berättar om hur du skyddar ditt hem. "
        "Stadsbiblioteket, torsdag kl. 18.",
        target_kind=TargetKind.MUNICIPALITIES,
        status=AlertStatus.SCHEDULED,
        publish_at=demo.days_ago(-3),
        sender_role=SenderRole.POLICE,
        sender_places=["Mariestad"],
    )
    scheduled.save()
    scheduled.target_municipalities.set([demo.municipalities["mariestad"]])
    scheduled.municipalities.set([demo.municipalities["mariestad"]])
    draft = Alert(
        author=police,
        kind=Kind.POLICE_ALERT,
        severity=Severity.NORMAL,
        title="Stölder ur förråd",
        body="Under helgen har flera förråd brutits upp.",
    )
    draft.save()
    draft.target_areas.set([h.area for h in mariestad[:2]])


def member_choices(demo: Demo) -> dict[int, Choices]:
    """What each member chose: most keep the defaults; some take texts (verified numbers
    from the fiction range), some turn e-mail off for tips; the evening's area keeps its
    texts quiet until the morning."""
    rng = random.Random(f"{content.DOMAIN}:choices")  # noqa: S311 - demo data
    phones = iter(content.FICTION_MOBILES[2:])  # the first two are the demo logins'
    choices: dict[int, Choices] = {}
    settings_rows, preference_rows, users = [], [], []
    members = {user.pk: user for h in demo.histories for user, _at, _left in h.members}
    logins = {demo.users[e].pk for e in ("kontaktombud@example.com", "medlem@example.com")}
    # The demo logins keep texts quiet from an hour before the demo was loaded: the
    # evening's alert (half an hour before) waits for their quiet hours to end.
    hour = timezone.localtime(demo.days_ago(1 / 24)).hour
    night = (time(hour), time((hour + 8) % 24))
    for pk, user in members.items():
        wants_sms = pk in logins or rng.random() < 0.12
        phone = user.phone or (next(phones, "") if wants_sms else "")
        verified = pk in logins or (bool(phone) and rng.random() < 0.85)
        quiet = night if pk in logins else (time(22), time(7))
        choice = Choices(
            email_off={Kind.TIP} if rng.random() < 0.06 else set(),
            sms_on={Kind.POLICE_ALERT, Kind.WARNING} if wants_sms else set(),
            verified=verified,
            quiet=quiet,
            # A third of those who take texts want them only when it is urgent; not the
            # demo logins, whose evening alert waits for their quiet hours instead.
            sms_floor=Severity.URGENT
            if wants_sms and pk not in logins and pk % 3 == 0
            else Severity.INFO,
        )
        choices[pk] = choice
        if phone and not user.phone:
            user.phone = phone
            users.append(user)
        if choice.sms_on or choice.email_off:
            settings_rows.append(
                MemberSettings(
                    user=user,
                    verified_phone=phone if verified else "",
                    quiet_hours_start=quiet[0],
                    quiet_hours_end=quiet[1],
                    sms_floor=choice.sms_floor,
                )
            )
            preference_rows += [
                Preference(
                    user=user,
                    kind=kind,
                    email=kind not in choice.email_off,
                    sms=kind in choice.sms_on,
                )
                for kind in choice.sms_on | choice.email_off
            ]
    User.objects.bulk_update(users, ["phone"], batch_size=500)
    MemberSettings.objects.bulk_create(settings_rows, batch_size=500)
    Preference.objects.bulk_create(preference_rows, batch_size=500)
    return choices


def write_deliveries(
    demo: Demo, sent: list[tuple[Alert, list[AreaHistory], datetime]], choices: dict[int, Choices]
) -> None:
    rows: list[Delivery] = []
    for alert, targets, at in sent:
        alert.areas.set([h.area for h in targets])
        alert.municipalities.set({h.area.municipality for h in targets})
        for history in targets:
            for user, joined, left in history.members:
                if joined > at or (left is not None and left < at):
                    continue
                choice = choices[user.pk]
                recipient = Recipient(
                    user_id=user.pk,
                    area_id=history.area.pk,
                    phone=user.phone,
                    email_on=alert.kind not in choice.email_off,
                    sms_on=alert.kind in choice.sms_on,
                    inapp_on=True,
                    verified_phone=user.phone if choice.verified else "",
                    quiet_enabled=True,
                    quiet_start=choice.quiet[0],
                    quiet_end=choice.quiet[1],
                    floors={
                        Channel.EMAIL: Severity.INFO,
                        Channel.SMS: choice.sms_floor,
                        Channel.INAPP: Severity.INFO,
                    },
                )
                rows += [
                    outcome(
                        demo, Delivery(alert=alert, user=user, area=history.area), user, planned, at
                    )
                    for planned in plan(recipient, alert, at)
                ]
    Delivery.objects.bulk_create(rows, batch_size=1000)


def outcome(demo: Demo, delivery: Delivery, user: User, planned: Planned, at: datetime) -> Delivery:
    """The planned delivery as it ended: sent (read, in the inbox, by most), refused by
    the mail server now and then, or still waiting for quiet hours if they have not ended."""
    rng = demo.rng
    delivery.channel, delivery.status, delivery.reason = (
        planned.channel,
        planned.status,
        planned.reason,
    )
    delivery.created_at = at
    if planned.status == DeliveryStatus.SKIPPED:
        return delivery
    sent_at = max(planned.not_before or at, at) + timedelta(seconds=rng.uniform(2, 90))
    if sent_at > demo.now:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.QUEUED, planned.not_before
        return delivery
    delivery.attempts = 1
    if planned.channel == Channel.EMAIL and rng.random() < 0.015:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = rng.choice(MAIL_REFUSALS).format(email=user.email)
        return delivery
    delivery.status, delivery.sent_at, delivery.reason = DeliveryStatus.SENT, sent_at, ""
    if planned.channel == Channel.INAPP:
        delivery.attempts = 0
        if rng.random() < 0.8 and demo.now - at > timedelta(hours=6):
            delivery.read_at = at + timedelta(hours=rng.uniform(0.1, 30))
    return delivery
