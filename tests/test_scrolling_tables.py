"""Every table that may scroll sideways on a phone can be reached and scrolled with a
keyboard, and a screen reader names it: its wrapper is a focusable region with a name
(axe-core's rule scrollable-region-focusable, WCAG 2.1.1)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = re.compile(r"<div[^>]*\bclass=\"table-wrap\"[^>]*>")


def test_every_table_wrapper_is_a_named_focusable_region():
    wrappers = [
        (path.relative_to(ROOT), match.group(0))
        for path in ROOT.glob("templates/**/*.html")
        for match in WRAPPER.finditer(path.read_text())
    ]

    assert wrappers
    unnamed = [
        f"{path}: {tag}"
        for path, tag in wrappers
        if 'role="region"' not in tag
        or 'tabindex="0"' not in tag
        or not re.search(r"\baria-(label|labelledby)=\"[^\"]+\"", tag)
    ]
    assert unnamed == []
