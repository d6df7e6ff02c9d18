"""Members choose the language of their alerts on the preferences page, apart from the
site's language: Swedish by default, or one the deployment lists. The choice is part of
their personal data export; a code the deployment does not list is refused, here and
as the language of a version in the composer."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.models import User
from notifications.alerts.models import Alert, AlertVersion, Kind
from notifications.preferences.models import MemberSettings
from tests import hostile
from tests.conftest import client_for
from tests.factories import reads_alerts_in

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")


def preferences(**changes: str) -> dict[str, str]:
    data = {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00", "alert_language": "sv"}
    data |= {f"{channel}_floor": "info" for channel in ("email", "sms", "inapp", "push")}
    data |= {f"{kind}__email": "on" for kind in Kind.values}
    return data | changes


def alert_language(member: User) -> str | None:
    return (
        MemberSettings.objects.filter(user=member).values_list("alert_language", flat=True).first()
    )


def test_swedish_unless_the_member_chooses_another(member):
    page = client_for(member).get(URL).content.decode()

    assert '<option value="sv" selected>Swedish (svenska)</option>' in page
    assert '<option value="ar">Arabic (العربية)</option>' in page
    assert '<option value="sv-x-lattlast">Easy-to-read Swedish (lättläst svenska)</option>' in page


def test_the_member_chooses_arabic_and_keeps_the_site_in_english(member):
    response = client_for(member).post(URL, preferences(alert_language="ar"))

    assert response.status_code == 302
    assert alert_language(member) == "ar"
    member.refresh_from_db()
    assert member.language == "en"  # the site's language is another choice
    page = client_for(member).get(URL).content.decode()
    assert '<option value="ar" selected>' in page


def test_only_the_languages_the_deployment_lists_are_offered(member, settings):
    settings.ALERT_LANGUAGES = ["fi"]

    page = client_for(member).get(URL).content.decode()

    assert '<option value="fi">Finnish (suomi)</option>' in page
    assert 'value="ar"' not in page


@pytest.mark.parametrize(("case", "code"), hostile.BAD_ALERT_LANGUAGES)
def test_a_language_not_listed_is_refused(member, case, code):
    reads_alerts_in(member, "fi")

    response = client_for(member).post(URL, preferences(alert_language=code))

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert alert_language(member) == "fi"


@pytest.mark.parametrize(("case", "code"), hostile.BAD_ALERT_LANGUAGES)
def test_a_version_in_a_language_not_listed_is_refused_by_the_composer(police, case, code):
    data = {
        "kind": "police_alert",
        "severity": "normal",
        "title": "Bilinbrott",
        "body": "Flera bilar.",
        f"title_{code}": "Title",
        f"body_{code}": "Text.",
    }

    # URL-encoded, as a browser posts the form: multipart would trim the names.
    response = client_for(police).post(
        reverse("notifications:alert_create"),
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "is not one of the languages this service sends alerts in" in content
    assert [marker for marker in hostile.XSS_MARKERS if marker in content] == []
    assert not Alert.objects.exists()
    assert not AlertVersion.objects.exists()


def test_the_alert_language_is_in_the_personal_data_export(member):
    reads_alerts_in(member, "so")

    response = client_for(member).get(reverse("accounts:data_export"))

    assert json.loads(response.content)["member_settings"]["alert_language"] == "so"


def test_in_swedish_swedish_is_named_once(member):
    member.language = "sv"
    member.save(update_fields=["language"])

    page = client_for(member).get(URL).content.decode()

    assert '<option value="sv" selected>Svenska</option>' in page
    assert '<option value="en">Engelska (English)</option>' in page
