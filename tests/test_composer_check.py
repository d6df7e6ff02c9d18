"""The composer's last step, Check (a draft's page): the answers with a way to change
each, the areas reached named on a map, the counts per channel that dispatch will
produce, and the e-mail, SMS and inbox entry as members will get them; then Send."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.security import FRAMED_EMAIL_POLICY
from notifications.alerts import planning
from notifications.alerts.models import Alert, Delivery, Kind
from notifications.sms import backends as sms_backends
from tests.conftest import client_for, compose
from tests.factories import (
    WatchAreaFactory,
    alert_for,
    member_of,
    prefer,
    square,
    verified_phone,
)

pytestmark = pytest.mark.django_db

BODY = "Tre villor har haft inbrott i natt. Håll utkik efter en vit skåpbil."


def check(alert: Alert) -> str:
    return reverse("notifications:alert_detail", args=[alert.pk])


def json_data(content: str, element_id: str) -> object:
    script = content.split(f'<script id="{element_id}" type="application/json">')[1]
    return json.loads(script.split("</script>")[0])


def per_member_links_out(text: str) -> str:
    """A copy without what differs per member: the delivery id in links, the unsubscribe
    token. Everything else must be as Check showed it."""
    text = re.sub(r"/notifications/inbox/\d+/", "/notifications/inbox/ID/", text)
    return re.sub(r"/notifications/unsubscribe/[^/\s\"]+/", "/notifications/unsubscribe/T/", text)


def test_the_draft_is_carried_through_every_step_to_check(police, area, area_member):
    client = client_for(police)

    response = compose(
        client,
        title="Inbrott på Marieholm",
        body=BODY,
        severity="urgent",
        target_areas=[area.pk],
        is_exercise="on",
    )

    alert = Alert.objects.get()
    assert response.url == check(alert)
    page = client.get(check(alert)).content.decode()
    assert '<li aria-current="step"><span>Check</span>' in page
    assert "Inbrott på Marieholm" in page
    assert "Police alert · Urgent" in page
    assert "Marieholm (Mariestad)" in page
    assert "As soon as you press Send" in page
    assert "A test or exercise: every copy says so." in page
    for step in ("alert_edit", "alert_who", "alert_when"):
        assert f'href="{reverse(f"notifications:{step}", args=[alert.pk])}?then=check"' in page
    assert (
        'class="back-link" href="{}"'.format(reverse("notifications:alert_when", args=[alert.pk]))
        in page
    )


def test_the_areas_reached_are_named_and_on_a_map(police, municipality, area, area_b):
    paused = WatchAreaFactory(municipality=municipality, name="Pausad", status="paused")
    draft = alert_for(police, area, area_b, paused)

    page = client_for(police).get(check(draft)).content.decode()

    reached = json_data(page, "reached-areas")
    assert [(a["id"], a["name"]) for a in reached] == [
        (area_b.pk, "Ekudden"),
        (area.pk, "Marieholm"),
    ]
    assert reached[0]["geometry"] == area_b.boundary
    assert 'data-map="reach"' in page
    assert "It reaches 2 areas:" in page
    assert "Pausad</li>" not in page.split("It reaches")[1]
    assert json_data(page, "incident-shape") == []


def test_a_shape_is_drawn_over_the_areas_it_reaches(police, municipality):
    near = WatchAreaFactory(municipality=municipality, boundary=square(13.90, 58.90, 0.004))
    incident = square(13.899, 58.899, 0.002)
    draft = alert_for(police, target_kind="shape", target_shape=incident)
    draft.target_municipalities.add(municipality)

    page = client_for(police).get(check(draft)).content.decode()

    assert [a["id"] for a in json_data(page, "reached-areas")] == [near.pk]
    assert json_data(page, "incident-shape") == [incident]
    assert "The areas around the incident drawn on the map" in page


def test_the_counts_are_the_ones_dispatch_will_produce(police, area):
    texted = member_of(area)
    verified_phone(texted)
    prefer(texted, Kind.POLICE_ALERT, email=False, sms=True, inapp=True)
    member_of(area)
    draft = alert_for(police, area, severity="urgent")

    response = client_for(police).get(check(draft))

    preview = response.context["preview"]
    assert preview == planning.preview(draft, timezone.now())
    assert (preview.areas, preview.households, preview.members) == (1, 2, 2)
    assert preview.channels["email"]["send"] == 1
    assert preview.channels["sms"]["send"] == 1
    table = response.content.decode().split('<table class="channel-counts')[1]
    rows = re.findall(
        r'<th scope="row" role="rowheader">([^<]+)</th>((?:<td[^>]*>[^<]*</td>)+)', table
    )
    cells = {name: re.findall(r">([^<]*)</td>", tds) for name, tds in rows}
    # Columns: e-mail, SMS, in the app, push (no one here has a device).
    assert cells == {
        "Will get it": ["1", "1", "2", "0"],
        "Later (quiet hours)": ["0", "0", "0", "0"],
        "Opted out": ["1", "1", "0", "0"],
        "Only more urgent messages": ["0", "0", "0", "0"],
        "No verified mobile number": ["0", "0", "0", "0"],
        "E-mail address suspended (bounces)": ["0", "0", "0", "0"],
    }


def test_what_check_shows_is_what_members_get(police, area, django_capture_on_commit_callbacks):
    member = member_of(area, email="granne@example.org")
    verified_phone(member)
    prefer(member, Kind.POLICE_ALERT, email=True, sms=True, inapp=True)
    draft = alert_for(police, area, title="Inbrott på Marieholm", body=BODY, severity="urgent")
    client = client_for(police)

    shown = client.get(check(draft)).context["copies"]
    with_html = client.get(reverse("notifications:alert_email", args=[draft.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:alert_send", args=[draft.pk]))

    sent = mail.outbox[-1]
    assert sent.to == ["granne@example.org"]
    assert sent.subject == shown.subject == "URGENT: Inbrott på Marieholm"
    html = next(content for content, mimetype in sent.alternatives if mimetype == "text/html")
    assert per_member_links_out(html) == per_member_links_out(with_html.content.decode())
    assert per_member_links_out(sent.body) == per_member_links_out(shown.text)
    [text_message] = sms_backends.outbox
    assert per_member_links_out(text_message.body) == per_member_links_out(shown.sms)
    assert "From the police in Mariestad" in shown.text
    entry = Delivery.objects.get(user=member, channel="inapp")
    assert entry.alert.sender_line() == shown.entry.alert.sender_line()


def test_check_names_the_areas_in_the_email(police, area):
    draft = alert_for(police, area)

    shown = client_for(police).get(check(draft)).context["copies"]

    assert "Sent to Marieholm" in shown.text


def test_the_sms_as_members_get_it_with_its_length(police, area):
    long = alert_for(police, area, title="Rubrik", body="ord " * 200)

    page = client_for(police).get(check(long))

    sms = page.context["copies"].sms
    content = page.content.decode()
    assert sms.startswith("Rubrik\nord ord")
    assert re.search(r"\.\.\. http://[^ ]+/notifications/inbox/\d+/$", sms)
    assert "3 text messages (SMS) of at most 3." in content
    assert "The whole alert is longer, so it is cut short with a link to the rest." in content


def test_the_inbox_entry_as_members_get_it(police, area):
    draft = alert_for(police, area, title="Inbrott på Marieholm", is_exercise=True)

    page = client_for(police).get(check(draft)).content.decode()

    inbox = page.split('id="preview-inbox"')[1]
    assert 'class="item-title"' in inbox
    assert "Inbrott på Marieholm" in inbox
    assert '<span class="tag tag-yellow">Test</span>' in inbox
    assert "TEST / EXERCISE – this is not a real alert"  # noqa: RUF001 - the words members read in inbox


def test_the_email_is_framed_from_its_own_sandboxed_url(police, area):
    draft = alert_for(police, area, title="Inbrott på Marieholm")
    client = client_for(police)

    page = client.get(check(draft)).content.decode()
    email = client.get(reverse("notifications:alert_email", args=[draft.pk]))

    url = reverse("notifications:alert_email", args=[draft.pk])
    assert re.search(rf'<iframe class="email-frame" src="{url}" title="[^"]+" sandbox>', page)
    assert email["Content-Type"] == "text/html; charset=utf-8"
    assert email["Content-Security-Policy"] == FRAMED_EMAIL_POLICY
    assert "frame-ancestors 'self'" in email["Content-Security-Policy"]
    assert email["X-Frame-Options"] == "SAMEORIGIN"
    assert email["Cache-Control"] == "private, no-store"
    content = email.content.decode()
    assert "Inbrott på Marieholm" in content
    assert "css/site.css" not in content  # the e-mail as it is, not in the site's dress
    # The Check page itself keeps the site's policy: framing it is still refused.
    assert "frame-ancestors 'none'" in client.get(check(draft))["Content-Security-Policy"]


def test_the_email_of_an_unseen_alert_is_not_found(police, other_coordinator, area):
    draft = alert_for(police, area)

    response = client_for(other_coordinator).get(
        reverse("notifications:alert_email", args=[draft.pk])
    )

    assert response.status_code == 404


def test_an_alert_that_reaches_no_area_says_so(police, area):
    draft = alert_for(police, area)
    area.status = "paused"
    area.save()

    page = client_for(police).get(check(draft)).content.decode()

    assert "It reaches no active area. Change who gets it." in page
    assert 'data-map="reach"' not in page


def test_send_from_check(police, area, area_member, django_capture_on_commit_callbacks):
    draft = alert_for(police, area)
    client = client_for(police)

    page = client.get(check(draft)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:alert_send", args=[draft.pk]), follow=True)

    assert f'action="{reverse("notifications:alert_send", args=[draft.pk])}"' in page
    assert "Send now" in page
    assert "The alert is being sent." in response.content.decode()
    assert Delivery.objects.filter(alert=draft, user=area_member).exists()


def test_a_scheduled_draft_says_schedule(police, area):
    draft = alert_for(police, area, publish_at=timezone.now() + timezone.timedelta(days=1))

    page = client_for(police).get(check(draft)).content.decode()

    assert ">Schedule</button>" in page.replace("\n", "")
    assert "Send at " in page


def test_someone_else_sees_the_draft_but_cannot_change_it(police, admin_user, area):
    draft = alert_for(police, area)

    page = client_for(admin_user).get(check(draft)).content.decode()

    assert "?then=check" not in page
    assert 'class="steps"' not in page


def test_check_runs_the_same_queries_however_many_areas_and_members(police, municipality):
    first = WatchAreaFactory(municipality=municipality)
    member_of(first)
    draft = alert_for(police, first)
    client = client_for(police)
    client.get(check(draft))

    with CaptureQueriesContext(connection) as few:
        client.get(check(draft))
    for _ in range(7):
        area = WatchAreaFactory(municipality=municipality)
        member_of(area)
        member_of(area)
        draft.target_areas.add(area)
    with CaptureQueriesContext(connection) as many:
        response = client.get(check(draft))

    assert response.context["preview"].members == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_summary_says_how_many_get_it_before_the_first_send_button(police, area):
    for _ in range(3):
        member_of(area)
    draft = alert_for(police, area)

    page = client_for(police).get(check(draft)).content.decode()

    reach = page.split('id="reach-summary">')[1].split("</span>")[0]
    assert reach == "3 members · 3 households"
    assert page.index('id="reach-summary"') < page.index(
        f'action="{reverse("notifications:alert_send", args=[draft.pk])}"'
    )


def test_the_summary_says_when_nobody_gets_it(police, area):
    draft = alert_for(police, area)
    area.status = "paused"
    area.save()

    page = client_for(police).get(check(draft)).content.decode()

    assert 'id="reach-summary">No active area: nobody gets it.</span>' in page
