"""What the composer shows besides its forms: the steps, the length of the SMS as the
sender types, the areas on its maps, and on the Check step every message exactly as
members will get it.

The messages are rendered by the channels' own code (``notifications.channels.email``
and ``.sms``) for a stand-in delivery to the sender, in the sender's language (each
member gets theirs in their own), so what Check shows cannot drift from what is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from notifications import rendering
from notifications.alerts import planning, selectors, sender, targeting
from notifications.alerts.models import (
    Alert,
    AlertStatus,
    Channel,
    Delivery,
    SkipReason,
    TargetKind,
)
from notifications.channels import email as email_channel
from notifications.channels import sms as sms_channel
from notifications.inbox.selectors import InboxEntry
from notifications.outbox.models import DeliveryStatus
from notifications.sms import segments
from official.police_events.models import PoliceEvent
from watch.areas.models import Municipality, WatchArea

# (key, label, URL name): the URL of What is alert_edit once the draft exists.
STEPS = (
    ("what", gettext_lazy("What"), "notifications:alert_edit"),
    ("who", gettext_lazy("Who"), "notifications:alert_who"),
    ("when", gettext_lazy("When"), "notifications:alert_when"),
    ("check", gettext_lazy("Check"), "notifications:alert_detail"),
)


def steps(alert: Alert, current: str) -> list[dict[str, Any]]:
    """The step indicator: each step's label, whether it is done or current, and a link
    to it once the draft exists (not to the current one)."""
    keys = [key for key, _label, _name in STEPS]
    position = keys.index(current)
    return [
        {
            "label": label,
            "current": key == current,
            "done": index < position,
            "url": reverse(name, args=[alert.pk]) if alert.pk and key != current else None,
        }
        for index, (key, label, name) in enumerate(STEPS)
    ]


# --- The SMS's length ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SmsLength:
    """How many SMS a text takes, as notifications.sms.segments counts them."""

    encoding: str
    count: int
    limit: int

    @classmethod
    def of(cls, text: str) -> SmsLength:
        encoding, count = segments.count_segments(text)
        return cls(encoding, count, segments.max_segments_setting())

    @property
    def shortened(self) -> bool:
        return self.count > self.limit

    def __str__(self) -> str:
        return sms_length_text(self.count, self.limit)


def from_police_event(event: PoliceEvent) -> str:
    """A new alert's text from an event the police published: its summary and its link."""
    return f"{event.summary}\n\n{event.url}".strip()


def sms_length_text(count: int, limit: int) -> str:
    if count > limit:
        return ngettext(
            "Longer than %(limit)d text message: members get the beginning and a link to "
            "the whole alert.",
            "Longer than %(limit)d text messages: members get the beginning and a link to "
            "the whole alert.",
            limit,
        ) % {"limit": limit}
    return ngettext(
        "%(count)d text message (SMS) of at most %(limit)d.",
        "%(count)d text messages (SMS) of at most %(limit)d.",
        count,
    ) % {"count": count, "limit": limit}


def draft_sms_length(title: str, body: str, *, is_exercise: bool) -> SmsLength:
    """The SMS length of a text not saved yet (the What step, before and as it is typed)."""
    text = sms_channel.full_text(Alert(title=title.strip(), body=body, is_exercise=is_exercise))
    return SmsLength.of(text.replace("\r\n", "\n"))


def sms_counter(*, is_exercise: bool) -> dict[str, Any]:
    """What static/js/sms-count.js needs to count as the server does: the GSM 03.38
    alphabets and part sizes from notifications.sms.segments, the prefix an exercise gets,
    and the sentence for each count, translated here (the script has no catalogue)."""
    limit = segments.max_segments_setting()
    basic, extension = segments.gsm_alphabet()
    prefix = sms_channel.full_text(Alert(title="", body="", is_exercise=is_exercise))[:-1]
    return {
        "basic": basic,
        "extension": extension,
        "gsm": [segments.GSM_SINGLE_SEPTETS, segments.GSM_PART_SEPTETS],
        "ucs2": [segments.UCS2_SINGLE_UNITS, segments.UCS2_PART_UNITS],
        "prefix": prefix,
        "texts": [sms_length_text(count, limit) for count in range(1, limit + 1)],
        "over": sms_length_text(limit + 1, limit),
        "ucs2Hint": str(UCS2_HINT),
    }


UCS2_HINT = gettext_lazy(
    "A character outside the SMS alphabet (an emoji, a curly quote) makes each text "
    "message hold 70 characters instead of 160."
)


# --- The maps -----------------------------------------------------------------------------


def map_areas(areas: Iterable[WatchArea], municipality_names: dict[int, str]) -> list[dict]:
    """Areas for maps.js (kinds "pick" and "reach"): id, name and outline, as JSON data."""
    return [
        {
            "id": area.pk,
            "name": area.name,
            "municipality": municipality_names.get(area.municipality_id, ""),
            "geometry": area.boundary,
        }
        for area in areas
    ]


def municipality_names(areas: Iterable[WatchArea]) -> dict[int, str]:
    """Names of the areas' municipalities, in one query."""
    ids = {area.municipality_id for area in areas}
    return dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "name"))


# --- Check: what members will get ---------------------------------------------------------


@dataclass(frozen=True)
class Messages:
    """The alert's e-mail, SMS and inbox entry for one member (here: a stand-in)."""

    subject: str
    text: str
    html: str
    sms: str
    sms_length: SmsLength
    entry: Delivery
    line: InboxEntry  # the entry as the inbox lists it


def as_sent_by(alert: Alert, actor: User) -> Alert:
    """A draft as its copies will read once ``actor`` sends it, with the sender that
    sending records (notifications.alerts.sender). An unsaved copy, never written."""
    shown = Alert(**{field.attname: getattr(alert, field.attname) for field in _FIELDS})
    if alert.status == AlertStatus.DRAFT:
        shown.sender_role, shown.sender_places = sender.describe(
            actor=actor, alert=alert, municipality_ids=targeting.target_municipality_ids(alert)
        )
    return shown


_FIELDS = Alert._meta.concrete_fields


def stand_in_delivery(
    alert: Alert, member: User, *, area: WatchArea | None = None, members: int = 0
) -> Delivery:
    """A delivery that is never saved, to render the alert as ``member`` will get it once
    they send it (``as_sent_by``).

    Its id is one a real delivery of this alert may have (one past the newest, plus one
    per message to come), so links, and with them the SMS's length, are true to size.
    """
    newest = Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return Delivery(
        pk=newest + len(Channel.values) * max(members, 1),
        alert=as_sent_by(alert, member),
        user=member,
        area=area,
        channel=Channel.INAPP,
        status=DeliveryStatus.SENT,
    )


def email_of(delivery: Delivery) -> email_channel.emails.MergedEmail:
    text = selectors.text_in(delivery.alert, delivery.language)
    letter = email_channel.Letter.render(delivery.alert, _language(delivery), text)
    return letter.message(delivery)


def _language(delivery: Delivery) -> str:
    return delivery.user.language if delivery.user else "sv"


def email_html(delivery: Delivery) -> str:
    return _html_part(email_of(delivery))


def _html_part(email: email_channel.emails.MergedEmail) -> str:
    return next((str(part[0]) for part in email.alternatives if part[1] == "text/html"), "")


def messages_for(delivery: Delivery) -> Messages:
    email = email_of(delivery)
    html = _html_part(email)
    sms = sms_channel.text_for(delivery)
    return Messages(
        subject=str(email.subject),
        text=str(email.body),
        html=html,
        sms=sms,
        sms_length=SmsLength.of(sms),
        entry=delivery,
        line=InboxEntry.of(delivery),
    )


# The Check step's count of each outcome, a row each (planning.preview's keys).
OUTCOMES = [
    ("send", gettext_lazy("Will get it")),
    ("deferred", gettext_lazy("Later (quiet hours)")),
    (SkipReason.OPTED_OUT, gettext_lazy("Opted out")),
    (SkipReason.BELOW_SEVERITY, gettext_lazy("Only more urgent messages")),
    (SkipReason.NO_VERIFIED_PHONE, gettext_lazy("No verified mobile number")),
    (SkipReason.ADDRESS_SUSPENDED, gettext_lazy("E-mail address suspended (bounces)")),
]


def channel_counts(preview: planning.Preview) -> list[tuple[str, list[tuple[str, int]]]]:
    """Each outcome's count on each channel, every count named with its channel: a row
    of the table is a card on a phone, where four channels beside the reasons did not fit
    360 px."""
    named = [(str(Channel(channel).label), counts) for channel, counts in preview.channels.items()]
    return [
        (str(label), [(channel, counts.get(key, 0)) for channel, counts in named])
        for key, label in OUTCOMES
    ]


def check(alert: Alert, actor: User, now: datetime) -> dict[str, Any]:
    """The Check step's context, in a constant number of queries whatever the audience:
    the areas reached (named, on a map), the counts per channel that dispatch will
    produce (planning.preview), and each message as members get it."""
    areas = sorted(targeting.resolve_areas(alert), key=lambda area: area.name)
    names = municipality_names(areas)
    preview = planning.preview(alert, now, areas=areas)
    delivery = stand_in_delivery(
        alert, actor, area=areas[0] if areas else None, members=preview.members
    )
    outlines = [alert.target_shape] if alert.target_kind == TargetKind.SHAPE else []
    return {
        "preview": preview,
        "channel_counts": channel_counts(preview),
        "reached": [(area, names.get(area.municipality_id, "")) for area in areas],
        "reached_map": map_areas(areas, names),
        "outlines": [shape for shape in outlines if shape],
        "chosen_areas": list(alert.target_areas.select_related("municipality")),
        "chosen_municipalities": list(alert.target_municipalities.order_by("name")),
        "copies": messages_for(delivery),
        # Every text, and how many members get each (the counts dispatch will produce).
        "versions": [
            {
                "text": text,
                "body_html": rendering.body_html(text.body),
                "members": preview.languages.get(text.language.code, 0),
            }
            for text in selectors.texts(alert)
        ],
        "full_sms_length": SmsLength.of(_full_text(delivery)),
        "ucs2_hint": UCS2_HINT,
    }


def _full_text(delivery: Delivery) -> str:
    with translation.override(_language(delivery)):
        return sms_channel.full_text(delivery.alert)
