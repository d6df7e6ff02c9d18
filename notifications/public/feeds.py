"""Atom 1.0 feeds of public alerts: per watch area, per municipality, and the CAP index.

Only public alerts that went out and have not expired are listed; drafts, members-only
and cancelled alerts never are. Ids are tag URIs made from the site's address and
the alert's creation date, so they stay the same however the feed is fetched; links
use ``SITE_URL`` for the same reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from notifications import rendering
from notifications.alerts import selectors as alert_selectors
from notifications.alerts.models import Alert, Kind
from notifications.public import selectors
from notifications.templatetags.alert_languages import lang_attrs
from watch.areas.models import Municipality, WatchArea


class _AlertFeed(Feed):
    """What every public-alert feed shares; subclasses choose the place and its alerts."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False

    url_name: str  # this feed's URL name; it takes the object's ``url_key``

    def url_key(self, obj: Any) -> Any:
        raise NotImplementedError

    def page(self, obj: Any) -> str:
        raise NotImplementedError

    def alerts(self, obj: Any) -> QuerySet[Alert]:
        raise NotImplementedError

    def link(self, obj: Any) -> str:
        return rendering.absolute(self.page(obj))

    def feed_url(self, obj: Any) -> str:
        return rendering.absolute(reverse(self.url_name, args=[self.url_key(obj)]))

    def feed_guid(self, obj: Any) -> str:
        # The feed's own address: a municipality's alert feed and its CAP index differ.
        return self.feed_url(obj)

    def author_name(self) -> str:
        return settings.SITE_NAME

    def items(self, obj: Any) -> list[Alert]:
        alerts = self.alerts(obj).prefetch_related("versions")
        return list(alerts[: selectors.PUBLIC_ALERTS_LISTED])

    def item_title(self, item: Alert) -> str:
        title = rendering.xml_text(item.title)
        return f"[{_('TEST')}] {title}" if item.is_exercise else title

    def item_description(self, item: Alert) -> str:
        """The Swedish text, then each version under its title, in its language."""
        swedish, *versions = alert_selectors.texts(item)
        parts = [rendering.body_html(swedish.body)]
        for text in versions:
            opening = format_html("<div{}><h2>{}</h2>", lang_attrs(text.language.code), text.title)
            # The body is sanitised HTML already (rendering.body_html).
            parts.append(f"{opening}{rendering.body_html(text.body)}</div>")
        return rendering.xml_text("".join(parts))

    def item_link(self, item: Alert) -> str:
        return rendering.absolute(reverse("notifications:public_alert", args=[item.pk]))

    def item_guid(self, item: Alert) -> str:
        # RFC 4151: the authority and the day it named the alert, then the alert.
        return f"tag:{rendering.site_host()},{item.created_at:%Y-%m-%d}:alert:{item.pk}"

    def item_pubdate(self, item: Alert) -> datetime:
        return selectors.published_at(item)

    def item_updateddate(self, item: Alert) -> datetime:
        return selectors.published_at(item)

    def item_categories(self, item: Alert) -> list[str]:
        return [str(Kind(item.kind).label)]


class AreaAlertFeed(_AlertFeed):
    url_name = "notifications:area_feed"

    def url_key(self, obj: WatchArea) -> int:
        return obj.pk

    def get_object(self, request: HttpRequest, pk: int) -> WatchArea:
        # Only active areas have a public page; the others' existence is not revealed.
        return get_object_or_404(WatchArea.objects.active().select_related("municipality"), pk=pk)

    def title(self, obj: WatchArea) -> str:
        # Place names come from officials' forms, which let a pasted control character in.
        return rendering.xml_text(
            _("Alerts for %(area)s, %(municipality)s")
            % {"area": obj.name, "municipality": obj.municipality.name}
        )

    def page(self, obj: WatchArea) -> str:
        return obj.get_absolute_url()

    def alerts(self, obj: WatchArea) -> QuerySet[Alert]:
        return selectors.current_public_alerts(timezone.now()).filter(areas=obj)


class MunicipalityAlertFeed(_AlertFeed):
    url_name = "notifications:municipality_feed"

    def url_key(self, obj: Municipality) -> str:
        return obj.slug

    def get_object(self, request: HttpRequest, slug: str) -> Municipality:
        return get_object_or_404(Municipality, slug=slug)

    def title(self, obj: Municipality) -> str:
        return rendering.xml_text(_("Alerts for %(municipality)s") % {"municipality": obj.name})

    def page(self, obj: Municipality) -> str:
        return reverse("watch:municipality", args=[obj.slug])

    def alerts(self, obj: Municipality) -> QuerySet[Alert]:
        return selectors.current_public_alerts(timezone.now()).filter(municipalities=obj)


class CapAtom1Feed(Atom1Feed):
    """Atom whose entries also link their CAP document, as CAP feeds do."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement(
            "link",
            "",
            {"rel": "alternate", "type": "application/cap+xml", "href": item["cap_url"]},
        )


class MunicipalityCapFeed(MunicipalityAlertFeed):
    feed_type = CapAtom1Feed
    url_name = "notifications:municipality_cap_feed"

    def title(self, obj: Municipality) -> str:
        return rendering.xml_text(_("CAP alerts for %(municipality)s") % {"municipality": obj.name})

    def item_extra_kwargs(self, item: Alert) -> dict[str, Any]:
        return {"cap_url": rendering.absolute(reverse("notifications:alert_cap", args=[item.pk]))}
