"""The in-app inbox, members' channel choices, phone verification and unsubscribing."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import rendering
from notifications.alerts import services as alert_services
from notifications.alerts.models import Alert, Delivery, Kind, Severity
from notifications.inbox.views import INBOX_PAGE_SIZE
from notifications.preferences.models import MemberSettings, Preference
from notifications.sms import backends as sms_backends
from notifications.sms import verification
from tests.conftest import client_for
from tests.factories import alert_for, member_of
from watch import dates

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(police, area, django_capture_on_commit_callbacks):
    member = member_of(area)
    alerts = []
    for title in ("Första", "Andra"):
        alert = alert_for(police, area, title=title)
        with django_capture_on_commit_callbacks(execute=True):
            alert_services.send_alert(actor=police, alert=alert)
        alerts.append(alert)
    return member, alerts


def test_inbox_lists_newest_first_and_counts_unread_in_the_header(delivered):
    member, _alerts = delivered

    page = client_for(member).get(reverse("notifications:inbox")).content.decode()

    assert page.index("Andra") < page.index("Första")
    assert '<span class="count">2<span class="visually-hidden"> unread</span></span>' in page


def test_opening_an_entry_marks_it_read(delivered):
    member, alerts = delivered
    entry = Delivery.objects.get(alert=alerts[0], user=member, channel="inapp")
    client = client_for(member)

    client.get(reverse("notifications:inbox_entry", args=[entry.pk]))

    entry.refresh_from_db()
    assert entry.read_at is not None
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert '<span class="count">1<span class="visually-hidden"> unread</span></span>' in page


def test_unread_lines_are_marked_new_in_the_members_language(delivered):
    member, alerts = delivered
    client = client_for(member)
    client.get(
        reverse(
            "notifications:inbox_entry",
            args=[Delivery.objects.get(alert=alerts[0], user=member, channel="inapp").pk],
        )
    )

    english = client.get(reverse("notifications:inbox")).content.decode()
    member.language = "sv"  # signed-in pages are in the profile's language
    member.save(update_fields=["language"])
    swedish = client.get(reverse("notifications:inbox")).content.decode()

    [unread] = re.findall(r'<li class="card unread">.*?</li>', english, re.S)
    assert "Andra" in unread
    assert '<span class="tag tag-blue">New</span>' in unread
    assert english.count('<span class="tag tag-blue">New</span>') == 1
    assert swedish.count('<span class="tag tag-blue">Ny</span>') == 1


def test_expired_alerts_are_shown_as_expired(delivered):
    member, alerts = delivered
    alerts[0].expires_at = timezone.now() - dt.timedelta(hours=1)
    alerts[0].save()

    page = client_for(member).get(reverse("notifications:inbox")).content.decode()

    assert page.count("Expired") == 1


def test_someone_elses_inbox_entry_is_a_404(delivered, area_member):
    member, alerts = delivered
    entry = Delivery.objects.get(alert=alerts[0], user=member, channel="inapp")

    response = client_for(area_member).get(reverse("notifications:inbox_entry", args=[entry.pk]))

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.read_at is None


@pytest.mark.parametrize("rows", [1, 50])
def test_inbox_runs_a_constant_number_of_queries(police, area, rows, django_assert_max_num_queries):
    member = member_of(area)
    for n in range(rows):
        alert = alert_for(police, area, title=f"Larm {n}", status="sent")
        Delivery.objects.create(alert=alert, user=member, channel="inapp", status="sent")
    client = client_for(member)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:inbox"))

    assert response.content.decode().count('class="card') == min(rows, INBOX_PAGE_SIZE)


def preferences_post(**overrides):
    data = {"quiet_hours_enabled": "on", "quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}
    data |= {f"{channel}_floor": "info" for channel in ("email", "sms", "inapp", "push")}
    data["alert_language"] = "sv"
    for kind in Kind.values:
        data[f"{kind}__email"] = "on"
        data[f"{kind}__inapp"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_police_alerts_cannot_be_turned_off_in_the_app(member):
    client_for(member).post(
        reverse("notifications:preferences"),
        preferences_post(**{"police_alert__inapp": None, "police_alert__email": None}),
    )

    police = Preference.objects.get(user=member, kind=Kind.POLICE_ALERT)
    assert (police.email, police.inapp) == (False, True)


def test_other_kinds_can_be_turned_off_entirely(member):
    client_for(member).post(
        reverse("notifications:preferences"),
        preferences_post(**{"tip__inapp": None, "tip__email": None}),
    )

    tip = Preference.objects.get(user=member, kind=Kind.TIP)
    assert (tip.email, tip.sms, tip.inapp) == (False, False, False)


def test_phone_is_verified_with_a_code_by_sms(member):
    member.phone = "+46701740660"
    member.save()
    client = client_for(member)

    client.post(reverse("notifications:phone_send_code"))
    code = re.search(r"\d{6}", sms_backends.outbox[0].body).group()
    assert sms_backends.outbox[0].to == "+46701740660"
    client.post(reverse("notifications:phone_verify"), {"code": code})

    assert MemberSettings.objects.get(user=member).verified_phone == "+46701740660"


def test_a_wrong_code_verifies_nothing_and_guessing_is_bounded(member):
    member.phone = "+46701740660"
    member.save()
    client = client_for(member)
    client.post(reverse("notifications:phone_send_code"))

    for _ in range(verification.MAX_ATTEMPTS):
        client.post(reverse("notifications:phone_verify"), {"code": "000000"})
    right = re.search(r"\d{6}", sms_backends.outbox[0].body).group()
    response = client.post(reverse("notifications:phone_verify"), {"code": right}, follow=True)

    assert "Too many wrong codes" in response.content.decode()
    assert MemberSettings.objects.get(user=member).verified_phone == ""


def test_changing_the_number_unverifies_it(member):
    member.phone = "+46701740660"
    member.save()
    MemberSettings.objects.create(user=member, verified_phone="+46701740661")

    page = client_for(member).get(reverse("notifications:preferences")).content.decode()

    assert "Send me a code" in page


def test_one_click_unsubscribe_works_without_login(client, member):
    url = reverse("notifications:unsubscribe", args=[rendering.unsubscribe_token(member.pk, "tip")])

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    preference = Preference.objects.get(user=member, kind="tip")
    assert (preference.email, preference.inapp) == (False, True)


def test_a_forged_unsubscribe_token_changes_nothing(client, member):
    token = rendering.unsubscribe_token(member.pk, "tip")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    response = client.post(reverse("notifications:unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_every_alert_e_mail_has_one_click_unsubscribe_and_preferences_links(delivered):
    member, _alerts = delivered
    message = mail.outbox[0]

    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert reverse("notifications:preferences") in message.body
    token = unsubscribe.rstrip("/").rsplit("/", 1)[1]
    assert rendering.read_unsubscribe_token(token) == (member.pk, "police_alert")


def test_older_messages_are_on_later_pages(police, area):
    member = member_of(area)
    for n in range(INBOX_PAGE_SIZE + 1):
        alert = alert_for(police, area, title=f"Larm {n:02d}", status="sent")
        Delivery.objects.create(alert=alert, user=member, channel="inapp", status="sent")
    client = client_for(member)

    first = client.get(reverse("notifications:inbox")).content.decode()
    second = client.get(reverse("notifications:inbox"), {"page": 2}).content.decode()

    assert first.count('class="card') == INBOX_PAGE_SIZE
    assert f"Larm {INBOX_PAGE_SIZE:02d}" in first  # newest first
    assert '<a href="?page=2">Older</a>' in first
    assert second.count('class="card') == 1
    assert "Larm 00" in second


def test_an_urgent_alert_is_marked_urgent_in_the_inbox_as_on_the_start_page(
    police, area, django_capture_on_commit_callbacks
):
    member = member_of(area)
    for title, severity in (("Vanlig", Severity.NORMAL), ("Brådskande", Severity.URGENT)):
        alert = alert_for(police, area, title=title, severity=severity)
        with django_capture_on_commit_callbacks(execute=True):
            alert_services.send_alert(actor=police, alert=alert)
    client = client_for(member)

    for page in ("notifications:inbox", "watch:home"):
        html = client.get(reverse(page)).content.decode()
        assert "Urgent</span>" in re.search(r"Brådskande.*?</li>", html, re.S).group()
        assert "Urgent</span>" not in re.search(r"Vanlig.*?</li>", html, re.S).group()


def test_a_message_says_when_it_came_as_its_line_in_the_inbox_does(delivered):
    member, alerts = delivered
    entry = Delivery.objects.get(alert=alerts[0], user=member, channel="inapp")
    sent_at = Alert.objects.get(pk=alerts[0].pk).sent_at
    # Dispatch made the member's copy a minute before the alert's sending was done.
    came = sent_at - dt.timedelta(minutes=1)
    Delivery.objects.filter(pk=entry.pk).update(created_at=came)
    client = client_for(member)

    page = client.get(reverse("notifications:inbox_entry", args=[entry.pk])).content.decode()
    inbox = client.get(reverse("notifications:inbox")).content.decode()

    assert dates.message_datetime(came) in page
    assert dates.message_datetime(came) in inbox
    assert dates.message_datetime(sent_at) not in page
