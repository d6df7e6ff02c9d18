"""The HTML alert e-mail has the site's look (the brand colour's header bar, the type
scale of static/css/site.css) and stays accessible and mergeable: its language, one
heading, layout tables marked as presentation, and no line long enough to make the
mail merge encode it per member."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notifications.alerts.models import SenderRole, Severity
from notifications.channels.email import Letter
from tests.factories import alert_for

pytestmark = pytest.mark.django_db

SITE_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"


def token(name: str) -> str:
    return re.search(rf"--{name}:\s*([^;]+);", SITE_CSS.read_text()).group(1).strip()  # type: ignore[union-attr]


def pixels(rem: str) -> str:
    return f"{round(float(rem.removesuffix('rem')) * 16)}px"


@pytest.fixture
def letter(police, area) -> Letter:
    alert = alert_for(
        police,
        area,
        severity=Severity.URGENT,
        is_exercise=True,
        sender_role=SenderRole.POLICE,
        sender_places=["Mariestad"],
    )
    alert.areas.set([area])
    return Letter.render(alert, "sv")


def test_the_header_bar_and_type_scale_are_the_sites(letter, settings):
    html = letter.html

    assert re.search(rf"background: {token('brand')};[^>]*>{settings.SITE_NAME}</td>", html)
    sizes = set(re.findall(r"font-size: (\d+px)", html))
    assert sizes <= {pixels(token(f"text-{size}")) for size in ("s", "m", "l", "xl")}
    assert pixels(token("text-xl")) in sizes  # the title


def test_it_is_accessible(letter):
    html = letter.html

    assert '<html lang="sv">' in html
    assert html.count("<h1") == 1
    assert "Inbrott på Storgatan</h1>" in html
    tables = re.findall(r"<table[^>]*>", html)
    assert tables
    assert all('role="presentation"' in table for table in tables)
    # The exercise is said in words, not by colour alone.
    assert "TEST" in html


def test_it_is_still_encoded_once_for_every_member(letter):
    assert letter.merge is not None
    assert max(len(line) for line in letter.html.splitlines()) < 998
