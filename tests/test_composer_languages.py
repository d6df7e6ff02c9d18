"""The composer's What step takes, besides the Swedish text, optional versions in the
languages the deployment lists (ALERT_LANGUAGES): folded away until one is written,
checked as the Swedish text is, and refused in a language not listed. Check shows
every version and how many members get each, as dispatch will send them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from notifications.alerts import languages
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, AlertVersion, Delivery
from tests.conftest import client_for, compose
from tests.factories import alert_for, member_of, reads_alerts_in, version_of

pytestmark = pytest.mark.django_db

ARABIC_BODY = "تم اقتحام عدة سيارات."

WHAT = {
    "kind": "police_alert",
    "severity": "normal",
    "title": "Bilinbrott",
    "body": "Flera bilar har brutits upp i natt.",
}


def versions(alert: Alert) -> dict[str, tuple[str, str]]:
    return {v.language: (v.title, v.body) for v in AlertVersion.objects.filter(alert=alert)}


def test_the_what_step_saves_versions_in_the_listed_languages(police):
    client = client_for(police)

    response = client.post(
        reverse("notifications:alert_create"),
        {
            **WHAT,
            "title_ar": "سرقة سيارات",
            "body_ar": f"{ARABIC_BODY}\r\n{ARABIC_BODY}",
            "title_sv-x-lattlast": "Tjuvar i bilar",
            "body_sv-x-lattlast": "Tjuvar har brutit sig in i bilar.",
            "title_en": "",
            "body_en": "",
        },
    )

    assert response.status_code == 302
    alert = Alert.objects.get()
    assert versions(alert) == {
        "ar": ("سرقة سيارات", f"{ARABIC_BODY}\n{ARABIC_BODY}"),
        "sv-x-lattlast": ("Tjuvar i bilar", "Tjuvar har brutit sig in i bilar."),
    }
    # Emptied again, a version goes; the others are kept or changed.
    client.post(
        reverse("notifications:alert_edit", args=[alert.pk]),
        {**WHAT, "title_ar": "سرقة", "body_ar": "نص."},
    )
    assert versions(alert) == {"ar": ("سرقة", "نص.")}


def test_versions_are_folded_away_until_one_is_written(police, area):
    client = client_for(police)
    page = client.get(reverse("notifications:alert_create")).content.decode()
    assert '<details class="advanced versions">' in page
    assert "Add a version in another language" in page
    # Typed right to left where the language is read so.
    assert '<input type="text" name="title_ar" lang="ar" dir="rtl"' in page
    assert '<textarea name="body_ar" cols="40" rows="6" lang="ar" dir="rtl"' in page

    alert = alert_for(police, area)
    version_of(alert, "fi")
    page = client.get(reverse("notifications:alert_edit", args=[alert.pk])).content.decode()
    assert '<details class="advanced versions" open>' in page
    assert page.count('<details class="version" open>') == 1


def test_a_version_needs_a_title_and_a_message(police):
    response = client_for(police).post(
        reverse("notifications:alert_create"), {**WHAT, "title_en": "Car break-ins"}
    )

    assert response.status_code == 200
    assert "Write both a title and a message in English, or neither." in response.content.decode()
    assert not Alert.objects.exists()


def test_a_version_in_a_language_not_listed_is_refused(police, settings):
    settings.ALERT_LANGUAGES = ["en"]

    # The page was open while the deployment stopped listing Arabic: its text is refused
    # with the reason, not dropped without a word.
    response = client_for(police).post(
        reverse("notifications:alert_create"), {**WHAT, "title_ar": "سرقة", "body_ar": "نص."}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Versions can be written in English only: “ar” is not one of the languages" in content
    assert not Alert.objects.exists()
    assert not AlertVersion.objects.exists()


def test_the_service_refuses_a_version_in_a_language_not_listed(police, area):
    alert = alert_for(police, area)
    version_of(alert, "en")

    with pytest.raises(ValidationError, match="“de” is not one of the languages"):
        alert_services.set_versions(
            alert=alert, versions={"fi": ("Otsikko", "Teksti."), "de": ("Titel", "Text.")}
        )

    # Nothing changed: not the Finnish one, and the English one is still there.
    assert set(versions(alert)) == {"en"}


def test_a_version_has_the_limits_of_the_swedish_text(police, area):
    alert = alert_for(police, area)

    with pytest.raises(ValidationError) as refused:
        alert_services.set_versions(alert=alert, versions={"en": ("Two\nlines", "x" * 5001)})

    assert set(refused.value.message_dict) == {"title", "body"}


def test_the_setting_may_list_only_languages_the_service_knows(settings):
    settings.ALERT_LANGUAGES = ["en", "xx"]
    with pytest.raises(ImproperlyConfigured, match="ALERT_LANGUAGES: 'xx'"):
        languages.check_setting()
    settings.ALERT_LANGUAGES = ["sv"]  # Swedish is the alert itself, never a version
    with pytest.raises(ImproperlyConfigured):
        languages.check_setting()


def test_check_shows_every_version_and_how_many_members_get_it(
    police, area, django_capture_on_commit_callbacks
):
    for language in ("ar", "ar", "fi", "so"):
        reads_alerts_in(member_of(area), language)
    member_of(area)
    client = client_for(police)
    compose(
        client,
        target_areas=[area.pk],
        title_ar="سرقة سيارات",
        body_ar="نص.",
        title_fi="Autovarkaita",
        body_fi="Teksti.",
    )
    alert = Alert.objects.get()

    page = client.get(reverse("notifications:alert_detail", args=[alert.pk]))

    counts = {
        version["text"].language.code: version["members"] for version in page.context["versions"]
    }
    # Somali has no version: that member gets the Swedish text.
    assert counts == {"sv": 2, "ar": 2, "fi": 1}
    content = page.content.decode()
    assert '<div dir="rtl" lang="ar"><p class="item-title">سرقة سيارات</p>' in content
    assert "Arabic (العربية) · 2 members" in content
    # Dispatch sends what Check counted.
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert)
    sent = Delivery.objects.filter(alert=alert, channel="inapp")
    assert {code: sent.filter(language=code).count() for code in ("sv", "ar", "fi")} == counts
