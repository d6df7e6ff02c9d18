"""The composer's first step, What: kind, severity, title and text. Saving it creates the
draft (alert_create) or changes it (alert_edit); the server counts the SMS it makes."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation

from notifications.alerts.models import Alert, Kind
from notifications.sms import segments
from notifications.tips.models import Tip
from tests.conftest import client_for
from tests.factories import alert_for, sent_public_alert

pytestmark = pytest.mark.django_db

WHAT = {
    "kind": "police_alert",
    "severity": "urgent",
    "title": "Inbrott på Kungsgatan",
    "body": "Håll utkik efter en vit skåpbil.",
}


def who_url(alert: Alert) -> str:
    return reverse("notifications:alert_who", args=[alert.pk])


def test_saving_what_creates_the_draft_and_goes_on_to_who(police):
    response = client_for(police).post(reverse("notifications:alert_create"), WHAT)

    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response.url == who_url(alert)
    assert (alert.status, alert.author, alert.kind, alert.severity) == (
        "draft",
        police,
        "police_alert",
        "urgent",
    )
    assert (alert.title, alert.body) == (WHAT["title"], WHAT["body"])
    assert not alert.target_areas.exists()


def test_what_of_an_existing_draft_changes_it_and_nothing_else(police, area):
    draft = alert_for(police, area, title="Gammal rubrik")

    response = client_for(police).post(
        reverse("notifications:alert_edit", args=[draft.pk]), {**WHAT, "title": "Ny rubrik"}
    )

    assert response.url == who_url(draft)
    draft.refresh_from_db()
    assert Alert.objects.count() == 1
    assert (draft.title, draft.severity) == ("Ny rubrik", "urgent")
    assert list(draft.target_areas.all()) == [area]  # Who's answer stays


def test_a_change_made_from_check_goes_back_to_check(police, area):
    draft = alert_for(police, area)
    url = reverse("notifications:alert_edit", args=[draft.pk])
    client = client_for(police)

    page = client.get(url, {"then": "check"}).content.decode()
    response = client.post(url, {**WHAT, "then": "check"})

    assert '<input type="hidden" name="then" value="check">' in page
    assert "Save and check" in page
    assert response.url == reverse("notifications:alert_detail", args=[draft.pk])


def test_the_page_has_steps_and_a_way_back(police, area):
    draft = alert_for(police, area)

    new = client_for(police).get(reverse("notifications:alert_create")).content.decode()
    existing = (
        client_for(police).get(reverse("notifications:alert_edit", args=[draft.pk])).content
    ).decode()

    assert '<li aria-current="step"><span>What</span>' in new
    assert f'href="{reverse("notifications:alert_who", args=[draft.pk])}"' not in new
    assert f'href="{who_url(draft)}">Who</a>' in existing  # the draft's later steps are links
    assert 'class="back-link"' in new
    assert f'href="{reverse("notifications:alert_list")}"' in new


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 141}, "at most 140 characters"),
        ({"body": ""}, "This field is required."),
        ({"kind": "birthday"}, "Select a valid choice"),
        ({"severity": "apocalyptic"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(police, area, fields, message):
    draft = alert_for(police, area, title="Rubrik")
    client = client_for(police)

    created = client.post(reverse("notifications:alert_create"), {**WHAT, **fields})
    changed = client.post(reverse("notifications:alert_edit", args=[draft.pk]), {**WHAT, **fields})

    for response in (created, changed):
        assert response.status_code == 200
        content = response.content.decode()
        assert message in content
        assert "There is a problem" in content  # the summary at the top
    assert list(Alert.objects.values_list("title", "severity")) == [("Rubrik", "normal")]


def test_an_area_contact_is_offered_information_and_invitations_only(area_contact):
    client = client_for(area_contact)

    form = client.get(reverse("notifications:alert_create")).context["form"]
    refused = client.post(reverse("notifications:alert_create"), WHAT)

    assert [value for value, _label in form.fields["kind"].choices] == ["information", "meeting"]
    assert form["kind"].value() == "information"  # the first of theirs, ticked
    assert refused.status_code == 200
    assert not Alert.objects.exists()


@pytest.mark.parametrize("language", ["en", "sv"])
def test_no_kind_and_severity_share_a_name(police, language):
    police.language = language  # signed in, a page is in the profile's language
    police.save(update_fields=["language"])

    form = client_for(police).get(reverse("notifications:alert_create")).context["form"]

    with translation.override(language):
        kinds = {str(label) for _value, label in form.fields["kind"].choices}
        severities = {str(label) for _value, label in form.fields["severity"].choices}
    assert not kinds & severities  # "Information" was both
    assert {"en": "For information", "sv": "För kännedom"}[language] in severities


def test_a_member_may_not_compose(area_member):
    client = client_for(area_member)

    assert client.get(reverse("notifications:alert_create")).status_code == 404
    assert client.post(reverse("notifications:alert_create"), WHAT).status_code == 404
    assert not Alert.objects.exists()


def test_only_the_author_changes_a_draft_and_only_while_it_is_one(police, coordinator, area):
    draft = alert_for(police, area)
    sent = alert_for(police, area, status="sent")
    url = reverse("notifications:alert_edit", args=[draft.pk])

    assert client_for(coordinator).post(url, WHAT).status_code == 404  # not theirs to see
    assert (
        client_for(police)
        .post(reverse("notifications:alert_edit", args=[sent.pk]), WHAT)
        .status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.title != WHAT["title"]


def test_line_breaks_are_saved_as_one_character(police):
    client_for(police).post(
        reverse("notifications:alert_create"), {**WHAT, "body": "Rad ett\r\nRad två\rRad tre"}
    )

    assert Alert.objects.get().body == "Rad ett\nRad två\nRad tre"


# --- The SMS's length -------------------------------------------------------------------------


def test_the_server_counts_the_sms_of_the_text_as_it_stands(police, area):
    # 160 GSM-7 septets fit one SMS; title + line break + this body make 161.
    draft = alert_for(police, area, title="Rubrik", body="x" * 154)

    page = client_for(police).get(reverse("notifications:alert_edit", args=[draft.pk]))

    content = page.content.decode()
    assert segments.count_segments("Rubrik\n" + "x" * 154) == ("GSM-7", 2)
    assert "2 text messages (SMS) of at most 3." in content
    assert 'data-sms-counter="sms-counter"' in content
    assert 'src="/static/js/sms-count.js"' in content


def test_the_count_names_the_shortening_and_the_narrow_alphabet(police):
    long_emoji = {**WHAT, "title": "", "body": "🚓 " + "x" * 300}

    page = client_for(police).post(reverse("notifications:alert_create"), long_emoji)

    content = page.content.decode()
    assert "Longer than 3 text messages: members get the beginning and a link" in content
    assert "makes each text message hold 70 characters instead of 160" in content
    assert "data-sms-hint hidden" not in content


def test_the_counter_in_the_browser_gets_the_servers_rules(police):
    page = client_for(police).get(reverse("notifications:alert_create"))

    rules = page.context["sms_counter"]
    basic, extension = segments.gsm_alphabet()
    assert (rules["basic"], rules["extension"]) == (basic, extension)
    assert rules["gsm"] == [160, 153]
    assert rules["ucs2"] == [70, 67]
    assert rules["texts"] == [
        "1 text message (SMS) of at most 3.",
        "2 text messages (SMS) of at most 3.",
        "3 text messages (SMS) of at most 3.",
    ]
    assert rules["prefix"] == ""
    script = page.content.decode().split('<script id="sms-counter" type="application/json">')[1]
    assert json.loads(script.split("</script>")[0])["gsm"] == [160, 153]


def test_an_exercise_is_counted_with_its_prefix(police, area):
    draft = alert_for(police, area, is_exercise=True)

    page = client_for(police).get(reverse("notifications:alert_edit", args=[draft.pk]))

    assert page.context["sms_counter"]["prefix"] == "TEST: "


# --- Entry points: a tip, and a follow-up of an earlier alert ------------------------------


def test_a_tip_from_the_library_fills_what(coordinator):
    tip = Tip.objects.create(theme="Inbrott", title="Lås dörren", body="Även hemma.")

    form = (
        client_for(coordinator)
        .get(reverse("notifications:alert_create"), {"tip": tip.pk})
        .context["form"]
    )

    assert (form["kind"].value(), form["severity"].value()) == (Kind.TIP, "info")
    assert (form["title"].value(), form["body"].value()) == ("Lås dörren", "Även hemma.")


def test_a_follow_up_starts_where_the_earlier_alert_went(police, area, area_b):
    earlier = sent_public_alert(police, area, area_b, kind=Kind.WARNING)
    client = client_for(police)
    url = reverse("notifications:alert_create") + f"?refers_to={earlier.pk}"

    page = client.get(url)
    response = client.post(url, {**WHAT, "refers_to": earlier.pk})

    content = page.content.decode()
    assert f"This follows up “{earlier.title}”" in content
    assert f'name="refers_to" value="{earlier.pk}"' in content
    assert page.context["form"]["kind"].value() == Kind.WARNING
    draft = Alert.objects.exclude(pk=earlier.pk).get()
    assert response.url == who_url(draft)
    assert draft.refers_to == earlier
    assert set(draft.target_areas.all()) == {area, area_b}


@pytest.mark.parametrize("public", [True, False], ids=["public", "members-only"])
def test_a_follow_up_starts_as_public_as_the_earlier_alert(police, area, public):
    earlier = sent_public_alert(police, area, is_public=public)

    client_for(police).post(
        reverse("notifications:alert_create"), {**WHAT, "refers_to": earlier.pk}
    )

    assert Alert.objects.exclude(pk=earlier.pk).get().is_public is public


def test_a_follow_up_reaches_only_what_its_sender_may_send_to(police, area, area_c):
    earlier = sent_public_alert(police, area)
    earlier.target_areas.add(area_c)  # another municipality's, which this officer does not serve
    client = client_for(police)

    client.post(reverse("notifications:alert_create"), {**WHAT, "refers_to": earlier.pk})

    assert list(Alert.objects.exclude(pk=earlier.pk).get().target_areas.all()) == [area]


def test_a_draft_or_an_unseen_alert_is_no_earlier_alert(police, area, area_contact):
    unseen = alert_for(area_contact, area, kind=Kind.INFORMATION)  # a contact's draft
    client = client_for(police)

    page = client.get(reverse("notifications:alert_create"), {"refers_to": unseen.pk})

    assert "This follows up" not in page.content.decode()
    assert page.context["form"]["refers_to"].value() is None
