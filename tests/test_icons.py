"""The icon sprite (watch/icons.py): built from the pinned Heroicons, and every icon a
template names is in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

from watch.icons import ICONS, SPRITE, sprite

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_the_committed_sprite_is_built_from_the_list():
    assert SPRITE.read_text(encoding="utf-8") == sprite(), "run: .venv/bin/python -m watch.icons"


def test_every_icon_named_in_a_template_is_in_the_sprite():
    named = {
        name
        for path in TEMPLATES.rglob("*.html")
        for name in re.findall(r'{%\s*icon\s+"([^"]+)"', path.read_text(encoding="utf-8"))
    }
    assert named
    assert named <= set(ICONS)
    assert f'<symbol id="{ICONS[0]}"' in sprite()


def test_an_icon_is_a_reference_to_the_sprite_hidden_from_screen_readers():
    html = Template('{% load icons %}{% icon "bell" "big" %}').render(Context())

    assert html == (
        '<svg class="icon big" aria-hidden="true" focusable="false">'
        '<use href="/static/icons.svg#bell"></use></svg>'
    )


def test_an_unknown_icon_is_an_error_not_an_empty_square():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load icons %}{% icon "no-such-icon" %}').render(Context())
