"""``{% map_attrs %}``: the data attributes that configure a map for static/js/maps.js.

    {% load maps %}
    <div class="map" {% map_attrs kind="pin" lon_input="id_lon" lat_input="id_lat" %}></div>

``kind`` becomes ``data-map``; other keywords become ``data-*`` with hyphens
(``geojson_url`` -> ``data-geojson-url``). The tiles, centre, zoom and texts come from
settings (see ``watch.areas.widgets.map_attributes``). Every value is escaped. The page also
needs the scripts: ``{% include "includes/map_assets.html" %}`` or a form's media.
"""

from __future__ import annotations

from django import template
from django.forms.utils import flatatt
from django.utils.safestring import SafeString

from watch.areas.widgets import map_attributes

register = template.Library()


@register.simple_tag
def map_attrs(**kwargs: object) -> SafeString:
    return flatatt(map_attributes(**kwargs))
