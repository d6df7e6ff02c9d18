"""HTML and script in an alert's title and body are neutralised everywhere it is shown."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications import rendering
from notifications.alerts import services as alert_services
from notifications.alerts.models import Delivery, Kind
from notifications.sms import backends as sms_backends
from tests.conftest import client_for
from tests.factories import alert_for, member_of, prefer, verified_phone

pytestmark = pytest.mark.django_db

TITLE = '<script>alert("t")</script>Inbrott'
BODY = (
    'Hej **grannar**! <img src=x onerror="alert(1)"> <script>steal()</script>\n\n'
    "[länk](javascript:alert(2)) och [polisen](https://polisen.se)"
)


@pytest.fixture
def sent(police, area, django_capture_on_commit_callbacks):
    member = verified_phone(member_of(area), quiet_hours_enabled=False)
    prefer(member, Kind.POLICE_ALERT, email=True, sms=True, inapp=True)
    alert = alert_for(police, area, title=TITLE, body=BODY, severity="urgent")
    with django_capture_on_commit_callbacks(execute=True):
        alert_services.send_alert(actor=police, alert=alert)
    return member, alert


def test_e_mail_html_keeps_the_safe_markdown_and_drops_the_rest(sent):
    html = mail.outbox[0].alternatives[0][0]

    assert "<strong>grannar</strong>" in html
    assert '<a href="https://polisen.se" rel="noopener noreferrer">polisen</a>' in html
    assert "<script" not in html
    assert "<img" not in html
    # What looked like markup is kept as the text it is, escaped.
    assert "&lt;img src=x onerror=" in html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;Inbrott" in html


def test_e_mail_text_and_subject_are_plain_text(sent):
    message = mail.outbox[0]

    assert message.subject.endswith(TITLE)
    assert "&lt;" not in message.body
    assert TITLE in message.body


def test_sms_is_plain_text(sent):
    assert sms_backends.outbox[0].body.startswith(TITLE)


def test_inbox_page_escapes_the_title_and_sanitises_the_body(sent):
    member, alert = sent
    delivery = Delivery.objects.get(alert=alert, user=member, channel="inapp")

    page = client_for(member).get(reverse("notifications:inbox_entry", args=[delivery.pk]))

    content = page.content.decode()
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;Inbrott" in content
    assert "<script>steal()" not in content
    assert "<img" not in content
    assert "&lt;img src=x onerror=" in content
    assert "<strong>grannar</strong>" in content


def test_sender_report_escapes_too(sent, police):
    _member, alert = sent

    page = client_for(police).get(reverse("notifications:alert_detail", args=[alert.pk]))

    assert "<script>alert(" not in page.content.decode()


def test_text_in_angle_brackets_keeps_its_words():
    html = rendering.body_html("Ring om du ser <något> eller <https://polisen.se>.")

    assert "Ring om du ser &lt;något&gt; eller" in html
    assert '<a href="https://polisen.se" rel="noopener noreferrer">' in html
