"""Each member gets the alert in the language they chose for their alerts: the e-mail,
the SMS and the inbox entry carry the alert's version in it, laid out in its direction,
or the Swedish text when the alert has none; the rest of each copy stays in the
member's site language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, Delivery, Kind
from notifications.inbox import services as inbox_services
from notifications.sms import backends as sms_backends
from tests.conftest import client_for
from tests.factories import (
    alert_for,
    member_of,
    prefer,
    reads_alerts_in,
    verified_phone,
    version_of,
)

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "سرقة سيارات في ماريهولم"
ARABIC_BODY = "تم اقتحام عدة سيارات الليلة الماضية."


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def _send(alert: Alert, actor) -> Alert:  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            alert_services.send_alert(actor=actor, alert=alert)
        alert.refresh_from_db()
        return alert

    return _send


def html_of(message) -> str:  # type: ignore[no-untyped-def]
    return next(body for body, kind in message.alternatives if kind == "text/html")


PHONES = iter(f"+4670174{n:04d}" for n in range(10_000))


def texter(area, language: str):  # type: ignore[no-untyped-def]
    """A member who gets police alerts by e-mail, SMS and in the app, in ``language``."""
    member = verified_phone(member_of(area), next(PHONES), quiet_hours_enabled=False)
    prefer(member, Kind.POLICE_ALERT, email=True, sms=True, inapp=True)
    return reads_alerts_in(member, language)


def mail_to(member) -> mail.EmailMessage:  # type: ignore[no-untyped-def]
    [message] = [message for message in mail.outbox if message.to == [member.email]]
    return message


def sms_to(member) -> str:  # type: ignore[no-untyped-def]
    [text] = [message.body for message in sms_backends.outbox if message.to == member.phone]
    return text


def inbox_entry(member, alert) -> str:  # type: ignore[no-untyped-def]
    entry = Delivery.objects.get(alert=alert, user=member, channel="inapp")
    return (
        client_for(member)
        .get(reverse("notifications:inbox_entry", args=[entry.pk]))
        .content.decode()
    )


def test_a_member_who_reads_arabic_gets_the_arabic_email_sms_and_inbox_entry(police, area, send):
    arabic = texter(area, "ar")
    swedish = texter(area, "sv")
    alert = alert_for(police, area, title="Bilinbrott i Marieholm", body="Flera bilar i natt.")
    version_of(alert, "ar", ARABIC_TITLE, ARABIC_BODY)
    version_of(alert, "en", "Car break-ins", "Several cars last night.")

    send(alert, police)

    # What the member was told is on record, per channel.
    assert set(
        Delivery.objects.filter(alert=alert, user=arabic).values_list("language", flat=True)
    ) == {"ar"}
    message = mail_to(arabic)
    assert ARABIC_TITLE in message.subject
    assert ARABIC_BODY in message.body
    html = html_of(message)
    assert '<h1 dir="rtl" lang="ar" style=' in html
    assert f'<div dir="rtl" lang="ar" style="font-size: 16px;">\n<p>{ARABIC_BODY}</p>' in html
    # Neither the Swedish text nor another version goes with it.
    assert "Bilinbrott" not in message.subject + message.body + html
    assert "Car break-ins" not in message.body
    # The member's site language frames it.
    assert "Read it online" in html
    assert sms_to(arabic).startswith(f"{ARABIC_TITLE}\n{ARABIC_BODY}")
    page = inbox_entry(arabic, alert)
    assert f'<h1 dir="rtl" lang="ar">{ARABIC_TITLE}</h1>' in page
    assert f'<div class="card" dir="rtl" lang="ar"><p>{ARABIC_BODY}</p>' in page
    inbox = client_for(arabic).get(reverse("notifications:inbox")).content.decode()
    assert f'dir="rtl" lang="ar"><strong>{ARABIC_TITLE}</strong></a>' in inbox
    # A member who reads Swedish gets the Swedish text, left to right.
    assert mail_to(swedish).subject.endswith("Bilinbrott i Marieholm")
    assert 'dir="rtl"' not in html_of(mail_to(swedish))
    assert sms_to(swedish).startswith("Bilinbrott i Marieholm\n")
    assert ARABIC_TITLE not in inbox_entry(swedish, alert)


def test_without_a_version_in_their_language_a_member_gets_the_swedish_text(police, area, send):
    somali = texter(area, "so")
    alert = alert_for(police, area, title="Bilinbrott i Marieholm", body="Flera bilar i natt.")
    version_of(alert, "ar", ARABIC_TITLE, ARABIC_BODY)

    send(alert, police)

    assert set(
        Delivery.objects.filter(alert=alert, user=somali).values_list("language", flat=True)
    ) == {"sv"}
    message = mail_to(somali)
    assert message.subject.endswith("Bilinbrott i Marieholm")
    assert ARABIC_TITLE not in message.body
    assert '<div dir="ltr" lang="sv" style' in html_of(message)
    assert sms_to(somali).startswith("Bilinbrott i Marieholm\n")
    assert '<h1 dir="ltr" lang="sv">Bilinbrott i Marieholm</h1>' in inbox_entry(somali, alert)


def test_the_site_language_and_the_alert_language_are_separate(police, area, send):
    reader = reads_alerts_in(member_of(area, language="sv"), "ar")
    alert = alert_for(police, area)
    version_of(alert, "ar", ARABIC_TITLE, ARABIC_BODY)

    send(alert, police)

    html = html_of(mail_to(reader))
    assert "Läs på webben" in html  # the site's words in Swedish
    assert ARABIC_BODY in html  # the alert's in Arabic


def test_each_text_is_rendered_once_per_site_language_not_per_member(
    police, area, send, monkeypatch
):
    from notifications.channels import email as email_channel

    for _ in range(3):
        reads_alerts_in(member_of(area), "ar")
    for _ in range(2):
        member_of(area)
    alert = alert_for(police, area)
    version_of(alert, "ar", ARABIC_TITLE, ARABIC_BODY)
    renders: list[str] = []
    render = email_channel.Letter.render

    def counting(alert: Alert, language: str, text=None):  # type: ignore[no-untyped-def]
        renders.append(text.language.code)
        return render(alert, language, text)

    monkeypatch.setattr(email_channel.Letter, "render", counting)

    send(alert, police)

    assert len(mail.outbox) == 5
    assert sorted(renders) == ["ar", "sv"]


def test_a_newcomer_catches_up_in_their_language(police, area, send):
    alert = alert_for(police, area)
    version_of(alert, "fi", "Autovarkaita", "Useita autoja viime yönä.")
    send(alert, police)
    newcomer = reads_alerts_in(member_of(area), "fi")
    Delivery.objects.filter(user=newcomer).delete()

    inbox_services.catch_up(area=area, user_ids=[newcomer.pk])

    entry = Delivery.objects.get(user=newcomer, alert=alert)
    assert (entry.language, entry.joined_later) == ("fi", True)
    assert '<h1 dir="ltr" lang="fi">Autovarkaita</h1>' in inbox_entry(newcomer, alert)
