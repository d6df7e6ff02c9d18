"""A member sets up push on a device (static/js/push.js posts the browser's subscription as
JSON), sees their devices on their page of choices and removes one; nobody else's device
is ever theirs to remove. Bad subscriptions: tests/test_hostile_input.py."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import services as account_services
from accounts.personal_data import export
from notifications.push.checks import check_vapid
from notifications.push.models import PushSubscription
from notifications.push.webpush import decode_key, keys_match
from tests.conftest import client_for
from tests.factories import UserFactory, subscribed
from tests.push_service import Device, configure, vapid_keys

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("notifications:push_subscribe")
ENDPOINT = "https://fcm.googleapis.com/fcm/send/c1:APA91b"
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"


@pytest.fixture(autouse=True)
def vapid(settings):
    configure(settings)


def post(client, data, **headers):
    return client.post(SUBSCRIBE, data, content_type="application/json", headers=headers)


def test_a_members_device_is_kept_with_its_keys_and_a_label(member):
    phone = Device()

    response = post(client_for(member), phone.subscription(ENDPOINT), user_agent=FIREFOX_ANDROID)

    assert response.status_code == 201
    device = PushSubscription.objects.get()
    assert (device.user, device.endpoint, device.label) == (member, ENDPOINT, "Firefox · Android")
    assert (device.p256dh, device.auth) == (phone.p256dh, phone.auth)


def test_padded_keys_are_kept_unpadded(member):
    phone = Device()
    data = phone.subscription(ENDPOINT)
    data["keys"] = {"p256dh": phone.p256dh + "=", "auth": phone.auth + "=="}

    assert post(client_for(member), data).status_code == 201
    assert PushSubscription.objects.get().p256dh == phone.p256dh


def test_a_browser_subscribing_again_belongs_to_whoever_did_it_last(member, area_member):
    post(client_for(member), Device().subscription(ENDPOINT))
    again = Device()

    post(client_for(area_member), again.subscription(ENDPOINT))

    device = PushSubscription.objects.get()
    assert (device.user, device.p256dh) == (area_member, again.p256dh)


def test_there_is_a_limit_to_a_members_devices(member, settings):
    settings.PUSH_MAX_DEVICES = 2
    client = client_for(member)
    for n in range(2):
        assert post(client, Device().subscription(f"{ENDPOINT}{n}")).status_code == 201

    refused = post(client, Device().subscription(f"{ENDPOINT}new"))
    same_again = post(client, Device().subscription(f"{ENDPOINT}0"))

    assert refused.status_code == 400
    assert "as many as you may" in refused.json()["message"]
    assert same_again.status_code == 201  # a device already there is renewed
    assert PushSubscription.objects.count() == 2


def test_without_vapid_keys_no_device_can_be_set_up(member, settings):
    settings.VAPID = {"PUBLIC_KEY": "", "PRIVATE_KEY": "", "SUBJECT": ""}

    response = post(client_for(member), Device().subscription(ENDPOINT))
    page = client_for(member).get(reverse("notifications:preferences"))

    assert response.status_code == 404
    assert not PushSubscription.objects.exists()
    assert "data-vapid-key" not in page.content.decode()


def test_the_preferences_page_lists_the_devices_and_offers_this_one(member, settings):
    subscribed(member, ENDPOINT, Device().p256dh, Device().auth)
    subscribed(UserFactory(), f"{ENDPOINT}other", Device().p256dh, Device().auth)

    html = client_for(member).get(reverse("notifications:preferences")).content.decode()

    assert html.count("Firefox · Android") == 2  # the label and the button's hidden text
    assert f'data-vapid-key="{settings.VAPID["PUBLIC_KEY"]}"' in html
    assert "js/push.js" in html


def test_a_member_removes_their_own_device_and_no_one_elses(member, area_member):
    mine = subscribed(member, ENDPOINT, Device().p256dh, Device().auth)
    annas = subscribed(area_member, f"{ENDPOINT}anna", Device().p256dh, Device().auth)
    client = client_for(member)

    client.post(reverse("notifications:push_device_remove", args=[annas.pk]))
    response = client.post(reverse("notifications:push_device_remove", args=[mine.pk]))

    assert response.status_code == 302
    assert list(PushSubscription.objects.all()) == [annas]


def test_a_browser_gives_up_its_own_subscription(member, area_member):
    subscribed(member, ENDPOINT, Device().p256dh, Device().auth)
    unsubscribe = reverse("notifications:push_unsubscribe")

    foreign = client_for(area_member).post(
        unsubscribe, {"endpoint": ENDPOINT}, content_type="application/json"
    )
    own = client_for(member).post(
        unsubscribe, {"endpoint": ENDPOINT}, content_type="application/json"
    )

    assert (foreign.json(), own.json()) == ({"removed": False}, {"removed": True})
    assert not PushSubscription.objects.exists()


def test_devices_are_in_the_export_without_keys_and_go_with_the_account(member):
    subscribed(member, ENDPOINT, Device().p256dh, Device().auth)

    exported = json.dumps(export(member), default=str, ensure_ascii=False)
    account_services.delete_account(user=member)

    assert "Firefox · Android" in exported
    assert ENDPOINT not in exported
    assert not PushSubscription.objects.exists()


def test_make_vapid_keys_prints_a_pair_that_belongs_together():
    out = StringIO()

    call_command("make_vapid_keys", stdout=out)

    values = dict(line.split("=", 1) for line in out.getvalue().split())
    assert keys_match(values["VAPID_PUBLIC_KEY"], values["VAPID_PRIVATE_KEY"])
    assert decode_key(values["VAPID_PUBLIC_KEY"], 65) is not None
    assert not keys_match(vapid_keys()[0], values["VAPID_PRIVATE_KEY"])


def test_the_system_check_refuses_keys_that_are_not_a_pair_and_a_bad_subject(settings):
    public, private = vapid_keys()
    other, _private = vapid_keys()

    def errors(**vapid: str) -> list[str]:
        settings.VAPID = {"PUBLIC_KEY": "", "PRIVATE_KEY": "", "SUBJECT": "", **vapid}
        return [message.id for message in check_vapid()]

    assert errors() == []
    good = {"PUBLIC_KEY": public, "PRIVATE_KEY": private, "SUBJECT": "mailto:a@example.com"}
    assert errors(**good) == []
    assert errors(**{**good, "PUBLIC_KEY": other}) == ["push.E001"]
    assert errors(**{**good, "PRIVATE_KEY": "not-a-key"}) == ["push.E001"]
    assert errors(**{**good, "SUBJECT": "polisen@example.com"}) == ["push.E002"]
