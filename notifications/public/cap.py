"""Public alerts as OASIS Common Alerting Protocol 1.2 documents.

Every public alert that went out is a CAP ``Alert``, or, when it follows an
earlier public alert, an ``Update`` (a correction) or a ``Cancel`` (the earlier
one no longer holds), with ``references`` to it. Exercises carry status
``Exercise``. An alert cancelled before it went out has no document: it was
never issued, and a ``Cancel`` would publish where and what it was about.
Documents are built with ElementTree, which escapes every text; characters XML 1.0
cannot carry are dropped first. The tests validate each variant against the
OASIS schema (tests/data/CAP-v1.2.xsd).

CAP's text fields are Swedish (``sv-SE``): the document is one canonical record
that aggregators store, whatever language the person who fetched it reads.
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
from notifications.alerts.models import Alert, Kind, Severity, TargetKind
from notifications.public import selectors
from watch.areas.geometry import shapes

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CONTENT_TYPE = "application/cap+xml; charset=utf-8"
LANGUAGE = "sv-SE"

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
        _info(root, alert)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def document_queryset() -> QuerySet[Alert]:
    return (
        selectors.public_alerts()
        .select_related("refers_to")
        .prefetch_related("areas__municipality", "municipalities")
    )


def _info(root: ElementTree.Element, alert: Alert) -> None:
    info = _add(root, "info")
    hazard = alert.kind in HAZARD_KINDS
    _add(info, "language", LANGUAGE)
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
    _add(info, "headline", alert.title)
    _add(info, "description", alert.body)
    _add(
        info,
        "instruction",
        _(
            "This is not an emergency service. In an emergency, call 112. "
            "For non-urgent police matters, call 114 14."
        ),
    )
    _add(info, "web", rendering.absolute(reverse("notifications:public_alert", args=[alert.pk])))
    for description, shape in _areas(alert):
        area = _add(info, "area")
        _add(area, "areaDesc", description)
        for ring in shapes.outer_rings(shape):
            _add(area, "polygon", " ".join(f"{lat},{lon}" for lon, lat in ring))


def _areas(alert: Alert) -> list[tuple[str, shapes.Boundary]]:
    """(description, boundary) per CAP area: the shape drawn around an incident, or else
    each watch area the alert went to."""
    if alert.target_kind == TargetKind.SHAPE and alert.target_shape:
        return [(_("The area around the incident"), shapes.load_trusted(alert.target_shape))]
    return [(f"{area.name}, {area.municipality.name}", area.shape) for area in alert.areas.all()]


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _add(parent: ElementTree.Element, name: str, text: str | None = None) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, _tag(name))
    if text is not None:
        element.text = rendering.xml_text(text)
    return element
