"""Push, the fourth channel: the server's message to a local push service is decrypted
with the device's own private key and is the alert's title and link; the VAPID signature
verifies against the site's public key; what each answer of the push service does.

One push delivery per member covers all their devices (notifications/channels/push.py).
"""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from py_vapid import Vapid02

from notifications.alerts import services as alert_services
from notifications.alerts.delivery import send_deliveries
from notifications.alerts.models import Delivery, Kind
from notifications.alerts.planning import preview
from notifications.outbox.models import DeliveryStatus
from notifications.preferences.models import MemberSettings
from notifications.push.models import PushSubscription
from notifications.rendering import absolute
from notifications.sms import backends as sms_backends
from tests.factories import (
    alert_for,
    member_of,
    prefer,
    reads_alerts_in,
    subscribed,
    version_of,
)
from tests.push_service import Device, configure, push_service, vapid_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def vapid(settings) -> str:
    public = configure(settings, "mailto:polisen@example.com")
    settings.PUSH_ALLOW_LOCAL_ENDPOINTS = True
    settings.PUSH_TIMEOUT = 0.5
    return public


@pytest.fixture
def service(monkeypatch, vapid):
    with push_service(monkeypatch) as running:
        yield running


@pytest.fixture
def phone():
    return Device()


@pytest.fixture
def member(area, service, phone):
    user = member_of(area, language="en")
    subscribed(user, f"{service.url}/wpush/v2/anna-phone", phone.p256dh, phone.auth)
    return user


def send(alert, actor, capture):
    with capture(execute=True):
        alert_services.send_alert(actor=actor, alert=alert)
    return Delivery.objects.get(alert=alert, channel="push")


def test_the_pushed_message_decrypts_to_the_alerts_title_and_link(
    member, phone, police, area, service, vapid, django_capture_on_commit_callbacks
):
    alert = alert_for(police, area, severity="urgent", title="Inbrott på Storgatan")

    delivery = send(alert, police, django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    [request] = service.requests
    assert request.path == "/wpush/v2/anna-phone"
    message = phone.decrypt(request.body)
    assert message == {
        "title": "Inbrott på Storgatan",
        "body": "Var uppmärksam på okända personer i området.",
        "url": absolute(reverse("notifications:inbox_entry", args=[delivery.pk])),
        "urgent": True,
    }
    assert request.headers["Content-Encoding"] == "aes128gcm"
    assert request.headers["Urgency"] == "high"
    assert 0 < int(request.headers["TTL"]) <= 86400
    # The message is encrypted: nothing of the text goes over the wire in the clear.
    assert b"Storgatan" not in request.body


def test_a_member_who_reads_alerts_in_arabic_is_pushed_the_arabic_version(
    member, phone, police, area, service, django_capture_on_commit_callbacks
):
    reads_alerts_in(member, "ar")
    alert = alert_for(police, area, title="Inbrott på Storgatan")
    version_of(alert, "ar", title="سطو في شارع ستورغاتان", body="انتبهوا للغرباء في الحي.")

    send(alert, police, django_capture_on_commit_callbacks)

    [request] = service.requests
    message = phone.decrypt(request.body)
    assert (message["title"], message["body"]) == (
        "سطو في شارع ستورغاتان",
        "انتبهوا للغرباء في الحي.",
    )


def test_the_vapid_signature_verifies_against_the_sites_public_key(
    member, police, area, service, vapid, django_capture_on_commit_callbacks
):
    send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    authorization = service.requests[0].headers["Authorization"]
    assert Vapid02.verify(authorization)
    scheme, fields = authorization.split(" ", 1)
    parts = dict(field.split("=", 1) for field in fields.split(","))
    assert (scheme, parts["k"]) == ("vapid", vapid)
    claims = json.loads(base64.urlsafe_b64decode(parts["t"].split(".")[1] + "=="))
    assert claims["aud"] == service.url
    assert claims["sub"] == "mailto:polisen@example.com"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    # Signed by another key, the same header does not verify.
    other, _private = vapid_keys()
    assert not Vapid02.verify(authorization.replace(parts["k"], other))


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_removed(
    status, member, police, area, service, django_capture_on_commit_callbacks
):
    service.answer(status)

    delivery = send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    assert not PushSubscription.objects.filter(user=member).exists()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == f"{status} subscription gone"
    assert delivery.next_attempt_at is None
    # The next alert plans no push for a member without a device.
    second = send_or_none(alert_for(police, area), police, django_capture_on_commit_callbacks)
    assert second is None
    assert len(service.requests) == 1


def send_or_none(alert, actor, capture):
    with capture(execute=True):
        alert_services.send_alert(actor=actor, alert=alert)
    return Delivery.objects.filter(alert=alert, channel="push").first()


def test_payload_too_large_fails_at_once_and_is_never_retried(
    member, police, area, service, django_capture_on_commit_callbacks
):
    service.answer(413)

    delivery = send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.last_error.startswith("413 payload too large")
    assert delivery.next_attempt_at is None
    assert PushSubscription.objects.filter(user=member).exists()  # the device is fine


@pytest.mark.parametrize(
    ("answer", "headers"),
    [(429, {"Retry_After": "120"}), (500, {}), (503, {})],
)
def test_a_busy_push_service_is_tried_again_later(
    answer, headers, member, police, area, service, django_capture_on_commit_callbacks
):
    service.answer(answer, **headers)
    before = timezone.now()

    delivery = send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 1)
    assert delivery.last_error.startswith(f"{answer} push service busy")
    wait = 120 if answer == 429 else 30  # Retry-After, or the first backoff
    assert delivery.next_attempt_at >= before + timedelta(seconds=wait)
    assert PushSubscription.objects.filter(user=member).exists()


def test_a_push_service_that_does_not_answer_is_tried_again_later(
    member, police, area, service, django_capture_on_commit_callbacks
):
    service.delay = 5  # longer than PUSH_TIMEOUT

    delivery = send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 1)
    assert "unreachable" in delivery.last_error
    assert delivery.next_attempt_at is not None


def test_the_retry_after_a_busy_answer_delivers_it(
    member, phone, police, area, service, django_capture_on_commit_callbacks
):
    service.answer(500)
    delivery = send(alert_for(police, area), police, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    send_deliveries("push", [delivery.pk])

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert phone.decrypt(service.requests[-1].body)["title"] == "Inbrott på Storgatan"


def test_one_delivery_reaches_every_device_and_is_sent_if_any_took_it(
    member, police, area, service, django_capture_on_commit_callbacks
):
    laptop = Device()
    subscribed(member, f"{service.url}/wpush/v2/anna-laptop", laptop.p256dh, laptop.auth)
    service.answer(201)
    service.answer(500)

    delivery = send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    assert Delivery.objects.filter(alert=delivery.alert, channel="push").count() == 1
    assert delivery.status == DeliveryStatus.SENT
    assert len(service.requests) == 2
    assert laptop.decrypt(service.requests[1].body)["title"] == "Inbrott på Storgatan"


def test_push_follows_the_members_choices_and_the_preview_agrees(
    member, police, area, service, django_capture_on_commit_callbacks
):
    prefer(member, Kind.INFORMATION, email=True, sms=False, inapp=True, push=False)
    without_device = member_of(area)
    urgent_only = member_of(area)
    device = Device()
    subscribed(urgent_only, f"{service.url}/wpush/v2/urgent", device.p256dh, device.auth)
    MemberSettings.objects.create(user=urgent_only, push_floor="urgent")
    alert = alert_for(police, area, kind=Kind.INFORMATION, severity="normal")

    planned = preview(alert, timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert)

    rows = Delivery.objects.filter(alert=alert, channel="push")
    pushes = {d.user_id: (d.status, d.reason) for d in rows}
    assert pushes == {
        member.pk: ("skipped", "opted_out"),
        urgent_only.pk: ("skipped", "below_severity"),
    }
    assert planned.channels["push"] == {"opted_out": 1, "below_severity": 1}
    assert without_device.pk not in pushes
    assert service.requests == []
    assert sms_backends.outbox == []


def test_an_exercise_says_so_in_the_members_language(
    area, police, service, django_capture_on_commit_callbacks
):
    swede = member_of(area, language="sv")
    device = Device()
    subscribed(swede, f"{service.url}/wpush/v2/sv", device.p256dh, device.auth)

    send(alert_for(police, area, is_exercise=True), police, django_capture_on_commit_callbacks)

    assert device.decrypt(service.requests[0].body)["title"] == "TEST: Inbrott på Storgatan"


def test_nothing_is_posted_to_a_local_address_unless_the_setting_allows_it(
    member, police, area, service, settings, django_capture_on_commit_callbacks
):
    settings.PUSH_ALLOW_LOCAL_ENDPOINTS = False

    delivery = send(alert_for(police, area), police, django_capture_on_commit_callbacks)

    assert service.requests == []
    assert delivery.status == DeliveryStatus.FAILED
    assert "not https" in delivery.last_error
    assert not PushSubscription.objects.filter(user=member).exists()
