"""The site's icons: Heroicons (MIT, by the makers of Tailwind CSS) as one SVG sprite.

``static/icons.svg`` holds one ``<symbol>`` per icon named here, built from the pinned
``heroicons`` package (a development dependency: production serves the built file).
Templates draw one with ``{% icon "bell" %}`` (watch/templatetags/icons.py), which
refers to the sprite by URL: the browser fetches it once and caches it, and no page
carries inline SVG paths. After changing ``ICONS``, rebuild it:

    .venv/bin/python -m watch.icons

tests/test_icons.py fails while the committed sprite and this list disagree.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

SPRITE = Path(__file__).resolve().parent.parent / "static" / "icons.svg"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

LICENCE = " Heroicons, https://heroicons.com: MIT License, Copyright (c) Tailwind Labs, Inc. "
# Heroicons "outline" (24 px, 1.5 px strokes), by their names on heroicons.com.
ICONS = (
    "arrow-down-tray",
    "arrow-left",
    "arrow-right",
    "arrow-right-start-on-rectangle",
    "bars-3",
    "bell",
    "book-open",
    "briefcase",
    "calendar-days",
    "camera",
    "chart-bar",
    "check",
    "check-circle",
    "chevron-down",
    "chevron-right",
    "clipboard-document-list",
    "clock",
    "device-phone-mobile",
    "envelope",
    "exclamation-triangle",
    "eye",
    "home",
    "inbox",
    "information-circle",
    "key",
    "language",
    "map",
    "map-pin",
    "megaphone",
    "paper-airplane",
    "pencil-square",
    "phone",
    "plus",
    "printer",
    "shield-check",
    "user-circle",
    "user-group",
    "users",
    "wrench-screwdriver",
    "x-mark",
)


def sprite() -> str:
    """The sprite's text: each icon's paths in a ``<symbol id="name">``."""
    from heroicons.templatetags.heroicons import heroicon_outline

    ElementTree.register_namespace("", SVG_NAMESPACE)
    root = ElementTree.Element(f"{{{SVG_NAMESPACE}}}svg")
    root.append(ElementTree.Comment(LICENCE))
    for name in ICONS:
        # The pinned package's own files, not input from anyone.
        icon = ElementTree.fromstring(heroicon_outline(name, size=None))  # noqa: S314  # nosec B314
        symbol = ElementTree.SubElement(root, f"{{{SVG_NAMESPACE}}}symbol", id=name)
        # Stroke and fill go on the symbol: <use> inherits them, and CSS can recolour
        # an icon through currentColor.
        for attribute in ("viewBox", "fill", "stroke", "stroke-width"):
            symbol.set(attribute, icon.attrib[attribute])
        symbol.extend(icon)
    ElementTree.indent(root, space="")
    return ElementTree.tostring(root, encoding="unicode") + "\n"


if __name__ == "__main__":
    SPRITE.write_text(sprite(), encoding="utf-8")
    print(f"Wrote {len(ICONS)} icons to {SPRITE}")
