"""The public alert page and the feeds carry every version of an alert, each marked up
in its language and direction; a signed-in member sees the one they chose first."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import reads_alerts_in, sent_public_alert, version_of

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
PERSIAN_TITLE = "دزدی از خودروها"


@pytest.fixture
def alert(police, area):  # type: ignore[no-untyped-def]
    alert = sent_public_alert(police, area, title="Bilinbrott", body="Flera bilar i natt.")
    version_of(alert, "fa", PERSIAN_TITLE, "چند خودرو.")
    version_of(alert, "so", "Tuugo baabuur", "Dhowr baabuur.")
    return alert


def page(client, alert) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("notifications:public_alert", args=[alert.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_swedish_text_and_every_version(client, alert):
    content = page(client, alert)

    assert '<h1 dir="ltr" lang="sv">Bilinbrott</h1>' in content
    assert '<div class="card" dir="rtl" lang="fa"><h3>دزدی از خودروها</h3>' in content
    assert '<div class="card" dir="ltr" lang="so"><h3>Tuugo baabuur</h3>' in content
    assert content.index("Bilinbrott") < content.index("Tuugo baabuur")


def test_a_member_sees_the_language_they_chose_first(area_member, alert):
    reads_alerts_in(area_member, "fa")

    content = page(client_for(area_member), alert)

    assert f'<h1 dir="rtl" lang="fa">{PERSIAN_TITLE}</h1>' in content
    assert '<div class="card" dir="ltr" lang="sv"><h3>Bilinbrott</h3>' in content


def test_the_feeds_carry_every_version(client, area, alert):
    response = client.get(reverse("notifications:area_feed", args=[area.pk]))
    root = ElementTree.fromstring(response.content)  # noqa: S314 - the project's own output

    [entry] = root.findall("atom:entry", ATOM)
    summary = entry.findtext("atom:summary", namespaces=ATOM)
    assert summary.startswith("<p>Flera bilar i natt.</p>")
    assert f'<div dir="rtl" lang="fa"><h2>{PERSIAN_TITLE}</h2><p>چند خودرو.</p></div>' in summary
    assert '<div dir="ltr" lang="so"><h2>Tuugo baabuur</h2>' in summary
