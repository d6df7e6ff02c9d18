"""Public alerts as OASIS Common Alerting Protocol 1.2 documents.

Every public alert that went out is a CAP ``Alert``, or, when it follows an
earlier public alert, an ``Update`` (a correction) or a ``Cancel`` (the earlier
one no longer holds), with ``references`` to it. Exercises carry status
``Exercise``. An alert cancelled before it went out has no document: it was
never issued, and a ``Cancel`` would publish where and what it was about.
Documents are built with ElementTree, which escapes every text; characters XML 1.0
cannot carry are dropped first. The tests validate each variant against the
OASIS schema (tests/data/CAP-v1.2.xsd).

The document is one canonical record that aggregators store, whatever language the
person who fetched it reads: an ``info`` in Swedish (``sv-SE``), then one per version
of the alert in another language, each with its ``language`` tag
(notifications.alerts.languages, which says why easy-to-read Swedish is
``sv-SE-x-lattlast``). An info's fixed texts (the event, the instruction) are in its
language where the site has a catalogue for it, else in Swedish.

Each ``area`` names the municipalities it lies in by ``geocode``: ``valueName``
"Kommun" and the municipality's four-digit code from Statistics Sweden (SCB), as
Sveriges Radio's VMA API (vmaapi.sr.se) publishes Swedish public warnings in CAP,
e.g. ``{"valueName": "Kommun", "value": "1480"}`` for Göteborg. A shape drawn around
an incident carries the codes of every municipality whose areas it reached.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from xml.etree import ElementTree

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications import rendering
from notifications.alerts import selectors as alert_selectors
from notifications.alerts.models import Alert, Kind, Severity, TargetKind
from notifications.public import selectors
from watch.areas.geometry import shapes

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CONTENT_TYPE = "application/cap+xml; charset=utf-8"
GEOCODE_VALUE_NAME = "Kommun"

ElementTree.register_namespace("", NAMESPACE)

CATEGORY = {
    Kind.POLICE_ALERT: "Security",
    Kind.WARNING: "Safety",
    Kind.TIP: "Security",  # crime prevention
    Kind.INFORMATION: "Other",
    Kind.MEETING: "Other",
}
# Police alerts and warnings say how pressing they are through the severity the sender
# chose; tips, information and invitations are never an immediate danger.
URGENCY = {Severity.URGENT: "Immediate", Severity.NORMAL: "Expected", Severity.INFO: "Future"}
SEVERITY = {Severity.URGENT: "Severe", Severity.NORMAL: "Moderate", Severity.INFO: "Minor"}
CERTAINTY = {Kind.POLICE_ALERT: "Observed", Kind.WARNING: "Likely"}
HAZARD_KINDS = (Kind.POLICE_ALERT, Kind.WARNING)


def sender() -> str:
    """The deployment's host name: globally unique, and free of CAP's forbidden characters."""
    return rendering.site_host()


def identifier(alert: Alert) -> str:
    return f"{sender()}:alert:{alert.pk}"


def cap_time(moment: datetime) -> str:
    """CAP's date-time: whole seconds with a numeric offset (no "Z")."""
    local = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local.replace(microsecond=0).isoformat()


def reference(alert: Alert) -> str:
    """ "sender,identifier,sent" of the alert's own (Alert or Update) message."""
    return f"{sender()},{identifier(alert)},{cap_time(selectors.published_at(alert))}"


def message_type(alert: Alert) -> str:
    if selectors.public_original(alert) is None:
        return "Alert"
    return "Cancel" if alert.cancels_original else "Update"


def document(alert: Alert) -> bytes:
    """The alert's CAP document, UTF-8 with an XML declaration.

    Expects ``refers_to`` selected and ``areas`` (with their municipalities) and
    ``municipalities`` prefetched, as ``document_queryset`` does.
    """
    root = ElementTree.Element(_tag("alert"))
    _add(root, "identifier", identifier(alert))
    _add(root, "sender", sender())
    _add(root, "sent", cap_time(selectors.published_at(alert)))
    _add(root, "status", "Exercise" if alert.is_exercise else "Actual")
    _add(root, "msgType", message_type(alert))
    _add(root, "scope", "Public")
    with translation.override("sv"):
        if alert.is_exercise:
            _add(root, "note", _("Test or exercise: no action is needed."))
        if original := selectors.public_original(alert):
            _add(root, "references", reference(original))
    for text in alert_selectors.texts(alert):
        with translation.override(_catalogue_for(text.language.code)):
            _info(root, alert, text)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def document_queryset() -> QuerySet[Alert]:
    return (
        selectors.public_alerts()
        .select_related("refers_to")
        .prefetch_related("areas__municipality", "municipalities", "versions")
    )


def _catalogue_for(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else "sv"


def _info(root: ElementTree.Element, alert: Alert, text: alert_selectors.AlertText) -> None:
    info = _add(root, "info")
    hazard = alert.kind in HAZARD_KINDS
    _add(info, "language", text.language.cap)
    _add(info, "category", CATEGORY[Kind(alert.kind)])
    _add(info, "event", str(Kind(alert.kind).label))
    _add(info, "urgency", URGENCY[Severity(alert.severity)] if hazard else "Future")
    _add(info, "severity", SEVERITY[Severity(alert.severity)] if hazard else "Minor")
    _add(info, "certainty", CERTAINTY.get(Kind(alert.kind), "Unknown"))
    if alert.expires_at:
        _add(info, "expires", cap_time(alert.expires_at))
    names = ", ".join(sorted({municipality.name for municipality in alert.municipalities.all()}))
    _add(
        info,
        "senderName",
        f"{settings.SITE_NAME} \N{EN DASH} {names}" if names else settings.SITE_NAME,
    )
    _add(info, "headline", text.title)
    _add(info, "description", text.body)
    _add(
        info,
        "instruction",
        _(
            "This is not an emergency service. In an emergency, call 112. "
            "For non-urgent police matters, call 114 14."
        ),
    )
    _add(info, "web", rendering.absolute(reverse("notifications:public_alert", args=[alert.pk])))
    for description, shape, codes in _areas(alert):
        area = _add(info, "area")
        _add(area, "areaDesc", description)
        for ring in shapes.outer_rings(shape):
            _add(area, "polygon", " ".join(f"{lat},{lon}" for lon, lat in ring))
        for code in codes:
            geocode = _add(area, "geocode")
            _add(geocode, "valueName", GEOCODE_VALUE_NAME)
            _add(geocode, "value", code)


def _areas(alert: Alert) -> list[tuple[str, shapes.Boundary, list[str]]]:
    """(description, boundary, municipality codes) per CAP area: the shape drawn around
    an incident, or else each watch area the alert went to."""
    if alert.target_kind == TargetKind.SHAPE and alert.target_shape:
        codes = sorted({municipality.code for municipality in alert.municipalities.all()})
        return [(_("The area around the incident"), shapes.load_trusted(alert.target_shape), codes)]
    return [
        (f"{area.name}, {area.municipality.name}", area.shape, [area.municipality.code])
        for area in alert.areas.all()
    ]


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _add(parent: ElementTree.Element, name: str, text: str | None = None) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, _tag(name))
    if text is not None:
        element.text = rendering.xml_text(text)
    return element
