"""Map widgets and the data attributes that configure ``static/js/maps.js``.

The maps are plain Leaflet (shipped as static files by django-leaflet; its GDAL-based
widgets are not used). Nothing is configured by inline script, so the pages work under
a Content-Security-Policy without 'unsafe-inline': every map is a ``<div data-map=...>``
whose ``data-*`` attributes come from ``map_attributes`` (templates use the
``{% map_attrs %}`` tag in ``watch/templatetags/maps.py``), and ``maps.js`` reads them.

Everything a map edits is also an ordinary form field that stays visible, so a form
works without JavaScript, without Leaflet and without the tile server.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.renderers import BaseRenderer, TemplatesSetting
from django.forms.utils import flatatt
from django.forms.widgets import Script
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

TILES_FAILED_TEXT = _("The background map could not be loaded. Areas and pins still work.")

# Leaflet's own English texts: the zoom buttons' titles (their accessible names), the
# default marker's alt text, and the title of the "Leaflet" link in the attribution.
# maps.js puts them in place of Leaflet's defaults on every map.
LEAFLET_STRINGS: dict[str, Any] = {
    "zoomIn": _("Zoom in"),
    "zoomOut": _("Zoom out"),
    "marker": _("Marker"),
    "attribution": _("A JavaScript library for interactive maps"),
}

# Leaflet.draw's own texts (L.drawLocal) that the polygon, rectangle and circle tools
# and the edit/delete toolbar show. maps.js merges them over its English defaults.
# They end up in tooltips that Leaflet.draw writes as HTML, so keep them plain text.
DRAW_STRINGS: dict[str, Any] = {
    "draw": {
        "toolbar": {
            "actions": {"title": _("Cancel drawing"), "text": _("Cancel")},
            "finish": {"title": _("Finish drawing"), "text": _("Finish")},
            "undo": {"title": _("Delete the last point drawn"), "text": _("Delete last point")},
            "buttons": {
                "polygon": _("Draw a polygon"),
                "rectangle": _("Draw a rectangle"),
                "circle": _("Draw a circle"),
            },
        },
        "handlers": {
            "circle": {
                "tooltip": {"start": _("Click and drag to draw a circle.")},
                "radius": _("Radius"),
            },
            "polygon": {
                "tooltip": {
                    "start": _("Click to start drawing the shape."),
                    "cont": _("Click to continue drawing the shape."),
                    "end": _("Click the first point to close the shape."),
                }
            },
            "polyline": {"error": _("The edges of the shape must not cross.")},
            "rectangle": {"tooltip": {"start": _("Click and drag to draw a rectangle.")}},
            "simpleshape": {"tooltip": {"end": _("Release the mouse to finish drawing.")}},
        },
    },
    "edit": {
        "toolbar": {
            "actions": {
                "save": {"title": _("Keep the changes"), "text": _("Done")},
                "cancel": {"title": _("Cancel editing and undo the changes"), "text": _("Cancel")},
                "clearAll": {"title": _("Remove every shape"), "text": _("Remove all")},
            },
            "buttons": {
                "edit": _("Edit shapes"),
                "editDisabled": _("No shapes to edit"),
                "remove": _("Remove shapes"),
                "removeDisabled": _("No shapes to remove"),
            },
        },
        "handlers": {
            "edit": {
                "tooltip": {
                    "text": _("Drag the handles to change the shape."),
                    "subtext": _("Press Cancel to undo the changes."),
                }
            },
            "remove": {"tooltip": {"text": _("Click a shape to remove it.")}},
        },
    },
}

# Map kinds that show Leaflet.draw's toolbar, and so need DRAW_STRINGS.
DRAWING_KINDS = frozenset({"editor", "shape"})

# The project's template engine (DIRS = templates/). Django's default form renderer
# only looks in django/forms and the apps, not in templates/, where the widget's
# template lives.
PROJECT_TEMPLATES = TemplatesSetting()


def leaflet_images_url() -> str:
    """The URL prefix Leaflet puts in front of "marker-icon.png" and its siblings.

    Asks staticfiles for a real file and cuts the name off: a directory is not in
    ManifestStaticFilesStorage's manifest (``static("leaflet/images/")`` raises in
    production), and a STATIC_URL on another host is respected this way.
    """
    return static("leaflet/images/marker-icon.png").rsplit("/", 1)[0] + "/"


def _attribute_value(value: object) -> str:
    if value is True:
        return "true"
    return str(value)


def map_attributes(**extra: object) -> dict[str, str]:
    """The ``data-*`` attributes of one map element, as a dict for ``flatatt``.

    Always: ``data-tiles-url``, ``data-tiles-attribution`` (HTML, from settings),
    ``data-center`` ("lat,lon"), ``data-zoom``, ``data-leaflet-images``,
    ``data-tiles-failed-text`` and ``data-leaflet-strings`` (translated),
    ``data-municipalities-url``. ``kind`` becomes
    ``data-map``; every other keyword becomes ``data-<keyword with hyphens>``
    (``lon_input`` -> ``data-lon-input``) and may override a default (``zoom=15``).
    ``None`` and ``False`` are left out. The drawing kinds also get ``data-draw-strings``:
    Leaflet.draw's texts, translated.
    """
    leaflet = getattr(settings, "LEAFLET_CONFIG", {})
    attrs = dict(
        _every_maps_attributes(
            get_language(),
            get_script_prefix(),
            settings.STATIC_URL,
            str(settings.MAP_TILES_URL or ""),
            str(settings.MAP_TILES_ATTRIBUTION or ""),
            tuple(leaflet.get("DEFAULT_CENTER", (58.71, 13.95))),
            int(leaflet.get("DEFAULT_ZOOM", 10)),
        )
    )
    for key, value in extra.items():
        if value is None or value is False:
            continue
        name = "data-map" if key == "kind" else "data-" + key.lower().replace("_", "-")
        attrs[name] = _attribute_value(value)
    if extra.get("kind") in DRAWING_KINDS:
        attrs["data-draw-strings"] = _json(DRAW_STRINGS)
    return attrs


# Made once per process for each language and configuration, all of which are its
# arguments: a URL reversed, a static file's URL and the strings' JSON took 0.1 ms on
# every page with a map (docs/performance.md, "a tenth round").
@functools.lru_cache(maxsize=16)
def _every_maps_attributes(
    _language: str,
    _script_prefix: str,
    _static_url: str,
    tiles_url: str,
    tiles_attribution: str,
    center: tuple[float, float],
    zoom: int,
) -> dict[str, str]:
    lat, lon = center
    return {
        "data-tiles-url": tiles_url,
        "data-tiles-attribution": tiles_attribution,
        "data-center": f"{float(lat)},{float(lon)}",
        "data-zoom": str(zoom),
        "data-leaflet-images": leaflet_images_url(),
        "data-tiles-failed-text": str(TILES_FAILED_TEXT),
        "data-leaflet-strings": _json(LEAFLET_STRINGS),
        # The borders drawn when the background map cannot be loaded (maps.js).
        "data-municipalities-url": reverse("watch:municipalities_geojson"),
    }


def map_point(longitude: float, latitude: float, label: str) -> list[int | str]:
    """A pin of a ``data-map="points"`` map, for its ``json_script``: ``[longitude,
    latitude, label]``, the coordinates in millionths of a degree (10 cm at most).

    Whole numbers, not floats in objects: writing a float as its shortest text is slow.
    The area page's 200 pins took 0.37 ms as objects of floats and 0.16 as these, whose
    text is 40 % shorter (docs/performance.md, "a ninth round").
    """
    return [round(longitude * 1_000_000), round(latitude * 1_000_000), label]


def _json(strings: dict[str, Any]) -> str:
    """Translated texts as compact JSON (lazy translations resolved in the active language)."""
    return json.dumps(strings, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


class BoundaryWidget(forms.Textarea):
    """A watch-area boundary: a polygon editor on a map, above the GeoJSON textarea.

    The textarea is the field: it stays visible so that people who cannot use the
    map can paste or type GeoJSON, and maps.js writes every drawn change into it
    (one polygon as ``Polygon``, several as ``MultiPolygon``, none as empty text).
    ``context_url`` (optional) is a GeoJSON FeatureCollection of the *other* areas,
    drawn in grey under the editor so neighbours can be seen.
    """

    template_name = "watch/widgets/boundary.html"

    class Media:
        css = {"all": ("leaflet/leaflet.css", "leaflet/draw/leaflet.draw.css")}
        # Deferred: they run in order after the page is parsed, wherever
        # {{ form.media }} is placed.
        js = (
            Script("leaflet/leaflet.js", defer=True),
            Script("leaflet/draw/leaflet.draw.js", defer=True),
            Script("js/maps.js", defer=True),
        )

    def __init__(
        self, attrs: Mapping[str, Any] | None = None, context_url: str | None = None
    ) -> None:
        merged: dict[str, Any] = {"rows": 6, "spellcheck": "false"}
        merged.update(attrs or {})
        merged["class"] = " ".join(filter(None, ("geojson-input", merged.get("class"))))
        super().__init__(merged)
        self.context_url = context_url

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        # The map finds its textarea by id; a form built with auto_id=False has none.
        textarea_id = widget["attrs"].setdefault("id", f"id_{name}")
        map_attrs = map_attributes(
            kind="editor",
            input=textarea_id,
            context_url=str(self.context_url) if self.context_url else None,
        )
        # The field's help text says how to draw or paste: let the map point to it too.
        if described_by := widget["attrs"].get("aria-describedby"):
            map_attrs["aria-describedby"] = described_by
        widget["map_attrs"] = flatatt(map_attrs)
        return context

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        return super().render(name, value, attrs, renderer=PROJECT_TEMPLATES)
