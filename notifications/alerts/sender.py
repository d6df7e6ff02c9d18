"""Who an alert is from and where it went, as its copies (e-mail, inbox) say it.

The sender is described by the role they sent it in and the places they sent it for:
"From the police in Mariestad", "From the area contact of Marieholm". ``describe`` is
called once, when the alert is sent (``services.send_alert``), and the result is kept
on the alert, so a later change of role does not rewrite history; each copy words it
in its reader's language (``Alert.sender_line``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext

from accounts.models import User
from notifications.alerts import targeting
from notifications.alerts.models import Alert, AlertStatus, SenderRole, TargetKind
from watch.areas.models import Municipality, WatchArea
from watch.areas.selectors import areas_version
from watch.permissions import roles_of

# An alert to more areas names this many and counts the rest.
AREAS_NAMED = 5


def describe(
    *, actor: User, alert: Alert, municipality_ids: Iterable[int]
) -> tuple[str, list[str]]:
    """(role, place names) for an alert ``actor`` sends to ``municipality_ids``.

    An official speaks for the municipalities of the target that are theirs; an area
    contact for their own areas among the target's; anyone else (an administrator)
    for the service itself.
    """
    roles = roles_of(actor)
    official_for = set(municipality_ids) & roles.municipality_ids
    if official_for:
        role = SenderRole.POLICE if roles.is_police else SenderRole.COORDINATOR
        return role, _names(Municipality.objects.filter(pk__in=official_for))
    if alert.target_kind == TargetKind.AREAS and roles.contact_area_ids:
        own = alert.target_areas.filter(pk__in=roles.contact_area_ids)
        if names := _names(own):
            return SenderRole.AREA_CONTACT, names
    return SenderRole.SITE, []


def _names(places: Iterable[Municipality | WatchArea]) -> list[str]:
    return sorted(place.name for place in places)


@dataclass(frozen=True)
class Places:
    """Where an alert went: every area of these municipalities, or these areas (the
    first ``AREAS_NAMED`` and one more, in name order, of ``count``)."""

    municipalities: list[str]
    areas: list[str]
    count: int


def areas_line(alert: Alert) -> str:
    """Where it went, in the active language: "Sent to Marieholm and Ekudden", or to
    every area of a municipality. Before it is sent (the composer's Check), where its
    target reaches now; after, the areas dispatch fixed."""
    if alert.pk is None:  # a letter rendered to warm a worker up: no database
        return ""
    if alert.status in (AlertStatus.DRAFT, AlertStatus.SCHEDULED):
        places = _target_places(alert)
    else:
        places = _sent_places(alert)
    if places.municipalities:
        return gettext("Sent to every area in %(municipalities)s") % {
            "municipalities": get_text_list(places.municipalities, gettext("and"))
        }
    names, count = places.areas, places.count
    if not names:
        return ""
    if count <= AREAS_NAMED:
        return gettext("Sent to %(areas)s") % {"areas": get_text_list(names, gettext("and"))}
    others = count - AREAS_NAMED
    return ngettext(
        "Sent to %(areas)s and %(count)d other area",
        "Sent to %(areas)s and %(count)d other areas",
        others,
    ) % {"areas": ", ".join(names[:AREAS_NAMED]), "count": others}


def _target_places(alert: Alert) -> Places:
    if alert.target_kind == TargetKind.MUNICIPALITIES and (
        municipalities := list(
            alert.target_municipalities.order_by("name").values_list("name", flat=True)
        )
    ):
        return Places(municipalities, [], 0)
    names = _names(targeting.resolve_areas(alert))
    return Places([], names, len(names))


# After an alert goes out its members open it by the thousand, and the places dispatch
# fixed for it never change (nothing else writes them; the admin shows them read-only):
# they are read once per process, not on every opening (docs/performance.md, "a
# fourth round"). Their names can change, which replaces the areas' version, and with it
# everything kept here. Kept only once dispatch has fixed its areas: until then a
# sending alert has none, and an alert to whole municipalities has the ones chosen,
# which dispatch narrows to those with active areas.
_sent: tuple[str, dict[tuple[int, str], Places]] = ("", {})
SENT_KEPT = 1000


def _sent_places(alert: Alert) -> Places:
    global _sent
    version = areas_version()
    if _sent[0] != version or len(_sent[1]) >= SENT_KEPT:
        _sent = (version, {})
    kept = _sent[1]
    key = (alert.pk, alert.target_kind)
    places = kept.get(key)
    if places is None:
        places = _read_sent_places(alert)
        if places.areas or (places.municipalities and alert.areas.exists()):
            kept[key] = places
    return places


def _read_sent_places(alert: Alert) -> Places:
    if alert.target_kind == TargetKind.MUNICIPALITIES:
        municipalities = list(alert.municipalities.order_by("name").values_list("name", flat=True))
        if municipalities:
            return Places(municipalities, [], 0)
    areas = alert.areas.order_by("name").values_list("name", flat=True)
    names = list(areas[: AREAS_NAMED + 1])
    return Places([], names, len(names) if len(names) <= AREAS_NAMED else alert.areas.count())
