"""BoundaryWidget, the {% map_attrs %} tag and static/js/maps.js: markup, escaping, media."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from watch.areas.widgets import BoundaryWidget, map_attributes

ROOT = Path(__file__).resolve().parent.parent
POLYGON = {
    "type": "Polygon",
    "coordinates": [[[13.9, 58.7], [14.0, 58.7], [14.0, 58.8], [13.9, 58.7]]],
}
EVIL = '"><script>alert(1)</script>'


class Elements(HTMLParser):
    """Every start tag with its attributes (entities decoded, as a browser sees them)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def first(self, tag: str, **match: str) -> dict[str, str | None]:
        for name, attrs in self.tags:
            if name == tag and all(attrs.get(k) == v for k, v in match.items()):
                return attrs
        raise AssertionError(f"no <{tag}> with {match} in {self.tags}")


class AreaForm(forms.Form):
    boundary = forms.CharField(
        widget=BoundaryWidget(context_url="/areas.geojson"),
        help_text="Draw the area or paste GeoJSON.",
        required=False,
    )


def assert_no_inline_script(html: str) -> None:
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
        assert "src=" in tag, f"inline script: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.IGNORECASE), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html, flags=re.IGNORECASE), "style attribute"


def test_widget_renders_dict_value_as_json_in_textarea():
    html = BoundaryWidget().render("boundary", POLYGON, attrs={"id": "id_boundary"})
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, flags=re.DOTALL)
    assert textarea is not None
    value = textarea.group(1).replace("&quot;", '"').strip()
    assert json.loads(value) == POLYGON


def test_widget_renders_string_value_as_is_escaped():
    text = '{"type": "Polygon", "coordinates": []} </textarea><b>'
    html = BoundaryWidget().render("boundary", text, attrs={"id": "id_boundary"})
    assert "{&quot;type&quot;: &quot;Polygon&quot;, &quot;coordinates&quot;: []}" in html
    assert "</textarea><b>" not in html
    assert html.count("</textarea>") == 1


def test_widget_empty_value_renders_empty_textarea():
    html = BoundaryWidget().render("boundary", None, attrs={"id": "id_boundary"})
    assert re.search(r"<textarea[^>]*>\s*</textarea>", html)


def test_map_div_references_the_textarea_and_the_textarea_keeps_its_attributes():
    html = str(AreaForm()["boundary"])
    elements = Elements(html)
    textarea = elements.first("textarea")
    assert textarea["id"] == "id_boundary"
    assert textarea["name"] == "boundary"
    assert textarea["rows"] == "6"
    assert "geojson-input" in (textarea["class"] or "").split()
    assert textarea["aria-describedby"] == "id_boundary_helptext"
    map_div = elements.first("div", **{"data-map": "editor"})
    assert map_div["data-input"] == "id_boundary"
    assert map_div["data-context-url"] == "/areas.geojson"
    assert map_div["aria-describedby"] == "id_boundary_helptext"
    assert "map" in (map_div["class"] or "").split()
    # The map comes before the field it fills in.
    assert html.index('data-map="editor"') < html.index("<textarea")


def test_widget_merges_a_given_class_and_gets_an_id_without_auto_id():
    html = BoundaryWidget(attrs={"class": "wide"}).render("shape", "")
    elements = Elements(html)
    textarea = elements.first("textarea")
    assert set((textarea["class"] or "").split()) == {"geojson-input", "wide"}
    assert textarea["id"] == "id_shape"
    assert elements.first("div", **{"data-map": "editor"})["data-input"] == "id_shape"


def test_widget_media_has_leaflet_draw_and_maps_js():
    media = str(BoundaryWidget().media)
    for path in (
        "/static/leaflet/leaflet.css",
        "/static/leaflet/draw/leaflet.draw.css",
        "/static/leaflet/leaflet.js",
        "/static/leaflet/draw/leaflet.draw.js",
        "/static/js/maps.js",
    ):
        assert f'"{path}"' in media
    # Leaflet before the plugin before the script that uses both.
    assert (
        media.index("leaflet/leaflet.js")
        < media.index("leaflet.draw.js")
        < media.index("js/maps.js")
    )
    assert_no_inline_script(media)


def test_widget_and_form_output_have_no_inline_script():
    form = AreaForm(data={"boundary": EVIL})
    html = str(form["boundary"]) + str(form.media)
    assert "<script>alert" not in html
    assert_no_inline_script(html)


def test_map_assets_include_has_only_external_scripts():
    html = Template('{% include "includes/map_assets.html" %}').render(Context())
    assert html.count("<script defer src=") == 3
    assert "leaflet/draw/leaflet.draw.js" in html
    assert "js/maps.js" in html
    assert_no_inline_script(html)


def render_tag(source: str, **context: object) -> str:
    return Template('{% load maps %}<div class="map" ' + source + "></div>").render(
        Context(context)
    )


def test_map_attrs_tag_maps_kind_and_underscored_keywords(settings):
    settings.LEAFLET_CONFIG = {**settings.LEAFLET_CONFIG, "DEFAULT_CENTER": (58.5, 14.25)}
    html = render_tag('{% map_attrs kind="pin" lon_input="id_longitude" lat_input="id_latitude" %}')
    attrs = Elements(html).first("div")
    assert attrs["data-map"] == "pin"
    assert attrs["data-lon-input"] == "id_longitude"
    assert attrs["data-lat-input"] == "id_latitude"
    assert attrs["data-center"] == "58.5,14.25"
    assert attrs["data-zoom"] == str(settings.LEAFLET_CONFIG["DEFAULT_ZOOM"])
    assert attrs["data-leaflet-images"] == "/static/leaflet/images/"
    assert attrs["data-tiles-failed-text"] == (
        "The background map could not be loaded. Areas and pins still work."
    )
    assert "data-draw-strings" not in attrs  # only the drawing kinds need them


def test_map_attrs_tiles_url_comes_from_settings(settings):
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    attrs = Elements(render_tag('{% map_attrs kind="areas" %}')).first("div")
    assert attrs["data-tiles-url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert attrs["data-tiles-attribution"] == settings.MAP_TILES_ATTRIBUTION


def test_map_attrs_escapes_attribution_and_urls(settings):
    settings.MAP_TILES_ATTRIBUTION = EVIL
    settings.MAP_TILES_URL = "https://x.example/" + EVIL
    html = render_tag('{% map_attrs kind="areas" geojson_url=url %}', url="/a?b=1&" + EVIL)
    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
    attrs = Elements(html).first("div")
    # Escaped in the markup, and the browser hands maps.js the original value.
    assert attrs["data-tiles-attribution"] == EVIL
    assert attrs["data-tiles-url"] == "https://x.example/" + EVIL
    assert attrs["data-geojson-url"] == "/a?b=1&" + EVIL
    assert_no_inline_script(html)


def test_map_attributes_drawing_kinds_get_translated_draw_strings():
    attrs = map_attributes(kind="shape", input="id_geojson", zoom=14, unused=None)
    assert attrs["data-zoom"] == "14"
    assert "data-unused" not in attrs
    strings = json.loads(attrs["data-draw-strings"])
    assert strings["draw"]["toolbar"]["buttons"]["circle"] == "Draw a circle"
    assert strings["edit"]["toolbar"]["buttons"]["remove"] == "Remove shapes"


@pytest.fixture
def maps_js() -> str:
    return (ROOT / "static" / "js" / "maps.js").read_text(encoding="utf-8")


def test_maps_js_never_writes_html(maps_js):
    # Area names and point labels are user input: text only, never parsed as HTML.
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in maps_js, sink


def test_maps_js_popups_get_dom_nodes_not_strings(maps_js):
    # bindPopup("...") would be parsed as HTML by Leaflet; every call passes a function
    # that builds DOM nodes.
    arguments = [maps_js[m.end() :].lstrip() for m in re.finditer(r"bindPopup\(", maps_js)]
    assert arguments
    for argument in arguments:
        assert argument.startswith("() =>"), argument[:60]
    for string_sink in ("bindTooltip(", "setContent(", "setPopupContent("):
        assert string_sink not in maps_js, string_sink


def test_maps_js_handles_every_kind(maps_js):
    for kind in ("areas", "editor", "pin", "points", "shape"):
        assert re.search(rf"\b{kind}: init", maps_js), kind


def test_what_every_map_shares_follows_the_language_and_settings(settings):
    """Made once per process for each language and configuration: a change of either
    is seen on the next map, and no map gets another's attributes to change."""
    with translation.override("sv"):
        swedish = map_attributes(kind="areas")
    with translation.override("en"):
        english = map_attributes(kind="points")
        english["data-zoom"] = "1"  # a caller's change stays in its own copy
        again = map_attributes(kind="points")
        settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
        changed = map_attributes(kind="areas", zoom=15)

    assert json.loads(swedish["data-leaflet-strings"])["zoomIn"] == "Zooma in"
    assert json.loads(english["data-leaflet-strings"])["zoomIn"] == "Zoom in"
    assert again["data-zoom"] == str(settings.LEAFLET_CONFIG["DEFAULT_ZOOM"])
    assert changed["data-tiles-url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert changed["data-zoom"] == "15"
