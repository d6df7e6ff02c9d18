"""The header: at most six links for a role's main tasks, the rest in one menu that opens
without JavaScript; the page's title; the current page marked."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.alerts.models import Channel, Delivery
from notifications.answers.models import Notice
from notifications.answers.selectors import notices
from notifications.bounces.selectors import address_suspended
from notifications.inbox.selectors import MessageCounts, inbox, message_counts
from notifications.notices.models import BouncingAddress
from notifications.notices.services import address_hash
from notifications.outbox.models import DeliveryStatus
from tests.conftest import client_for
from tests.factories import official, sent_public_alert
from watch.dashboards.navigation import PRIMARY_LIMIT
from watch.roles.models import AreaContact, OfficialKind

pytestmark = pytest.mark.django_db

ROLES = ("member", "area_member", "area_contact", "coordinator", "police", "admin_user")


def navigation(client, path: str = "/"):
    return client.get(path).context["navigation"]


def labels(items) -> list[str]:
    return [str(item.label) for item in items]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_at_most_six_header_links_and_the_account_in_the_menu(request, role):
    nav = navigation(client_for(request.getfixturevalue(role)))

    assert 3 <= len(nav.primary) <= PRIMARY_LIMIT
    assert {"Profile", "How you are told", "Two-factor authentication"} <= set(labels(nav.menu))
    assert not set(labels(nav.primary)) & set(labels(nav.menu))


def test_a_superuser_official_still_to_set_up_two_factor_gets_the_seventh_link_in_the_menu(
    municipality,
):
    coordinator = official(
        OfficialKind.COORDINATOR, municipality, mfa=False, is_staff=True, is_superuser=True
    )

    nav = navigation(client_for(coordinator))

    assert len(nav.primary) == PRIMARY_LIMIT
    assert labels(nav.primary)[:2] == ["Start", "Set up two-factor authentication"]
    assert labels(nav.menu)[0] == "Statistics"


def test_officials_start_with_a_new_alert_and_residents_with_their_inbox(
    area_member, area_contact, police
):
    assert labels(navigation(client_for(police)).primary)[:2] == ["Start", "New alert"]
    assert labels(navigation(client_for(area_member)).primary)[:3] == [
        "Start",
        "Inbox",
        "Your household",
    ]
    assert "Your areas" in labels(navigation(client_for(area_contact)).primary)


def test_visitors_see_the_areas_and_how_to_log_in(anonymous_client):
    nav = navigation(anonymous_client)

    assert labels(nav.primary) == ["Start", "Areas", "Log in", "Sign up"]
    assert nav.menu == []


def test_the_menu_is_a_details_element_with_every_link_language_and_log_out(area_member):
    page = client_for(area_member).get(reverse("watch:home")).content.decode()

    menu = re.search(r'<details class="menu">.*?</details>', page, flags=re.S)
    assert menu is not None
    for url in (reverse("notifications:inbox"), reverse("accounts:profile"), reverse("mfa_index")):
        assert f'href="{url}"' in menu.group()
    assert 'name="language" value="sv"' in menu.group()
    assert reverse("account_logout") in menu.group()


def test_the_current_page_is_marked_once_the_longest_match(police):
    nav = navigation(client_for(police), reverse("notifications:alert_create"))

    current = [str(item.label) for item in nav.primary + nav.menu if item.current]
    assert current == ["New alert"]


def test_the_start_page_title_is_the_sites_name_alone_and_others_add_it_once(area_member):
    client = client_for(area_member)

    assert "<title>Grannsamverkan</title>" in client.get(reverse("watch:home")).content.decode()
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert re.search(r"<title>[^<·]+ · Grannsamverkan</title>", inbox)


def test_the_header_counts_unread_messages_in_the_menu_button_too(area_member):
    page = client_for(area_member).get(reverse("watch:home"))

    assert page.context["navigation"].unread == 0
    assert '<span class="count">' not in page.content.decode()


def test_the_headers_sql_counts_what_the_inbox_lists_and_finds_the_suspension(
    area_member, member, police, area
):
    """The header's query is written in SQL for speed: it must agree with the selectors."""

    def agrees() -> MessageCounts:
        expected = MessageCounts(
            unread=inbox(area_member.pk).filter(read_at__isnull=True).count()
            + notices(area_member.pk).filter(read_at__isnull=True).count(),
            email_suspended=address_suspended(area_member),
            alerts=inbox(area_member.pk).count(),
            notices=notices(area_member.pk).count(),
        )
        assert message_counts(area_member.pk, area_member.email) == expected
        return expected

    copies = [
        (area_member, Channel.INAPP, DeliveryStatus.SENT, None),
        (area_member, Channel.INAPP, DeliveryStatus.SENT, None),
        (area_member, Channel.INAPP, DeliveryStatus.SENT, timezone.now()),
        (area_member, Channel.INAPP, DeliveryStatus.QUEUED, None),
        (area_member, Channel.EMAIL, DeliveryStatus.SENT, None),
        (member, Channel.INAPP, DeliveryStatus.SENT, None),
    ]
    for user, channel, status, read_at in copies:
        Delivery.objects.create(
            alert=sent_public_alert(police, area),
            user=user,
            channel=channel,
            status=status,
            read_at=read_at,
        )
    assert agrees() == MessageCounts(unread=2, email_suspended=False, alerts=3, notices=0)

    for user, read_at in [(area_member, None), (area_member, timezone.now()), (member, None)]:
        Notice.objects.create(user=user, line="Svar", path="/", read_at=read_at)
    assert agrees() == MessageCounts(unread=3, email_suspended=False, alerts=3, notices=2)

    # A suspension of an address they no longer have, then of the one they have.
    bounced = BouncingAddress.objects.create(
        address_hash=address_hash("old@example.org"), user=area_member, suspended_at=timezone.now()
    )
    assert not agrees().email_suspended
    bounced.address_hash = address_hash(area_member.email.upper())
    bounced.save()
    assert agrees().email_suspended


def test_the_header_and_the_inbox_share_one_count_query(area_member, member, police, area):
    """The inbox pages with the header's counts (no COUNT of its own), and asks for the
    answers' notices only when there are some."""
    for _ in range(3):
        unread_alert(area_member, police, area)
    client = client_for(area_member)
    client.get(reverse("notifications:inbox"))  # the roles, read once
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notifications:inbox"))

    assert len(page.context["entries"]) == 3
    assert page.context["page"].paginator.count == 3
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [
        sql for sql in statements if "COUNT(" in sql and "notifications_bouncingaddress" not in sql
    ]
    assert not [sql for sql in statements if "notifications_notice" in sql and "COUNT(" not in sql]

    Notice.objects.create(user=area_member, line="Svar på din rapport", path="/")
    assert "Svar på din rapport" in client.get(reverse("notifications:inbox")).content.decode()


def unread_alert(user, police, area) -> None:
    Delivery.objects.create(
        alert=sent_public_alert(police, area),
        user=user,
        channel=Channel.INAPP,
        status=DeliveryStatus.SENT,
    )


def test_the_header_kept_in_memory_follows_the_count_the_language_the_page_and_the_role(
    area_member, police, area
):
    """The links are rendered once per set of them (the ``{% cache %}`` in base.html):
    whatever a link shows must change its key, or a page would show another's header."""
    client = client_for(area_member)

    def header(path: str = "/") -> str:
        page = client.get(path).content.decode()
        start = page.index('<nav class="primary-nav"')
        return page[start : page.index('<form class="inline-form"')]

    first = header()
    assert '<span class="count">' not in first
    assert header() == first

    unread_alert(area_member, police, area)
    assert '<span class="count">1<span class="visually-hidden">' in header()

    inbox = header(reverse("notifications:inbox"))
    assert f'href="{reverse("notifications:inbox")}" aria-current="page"' in inbox
    assert 'aria-current="page"' not in header().replace(
        f'href="{reverse("watch:home")}" aria-current="page"', ""
    )

    area_member.language = "en"
    area_member.save()
    english = header()
    assert ">Inbox" in english
    assert ">Inkorg" not in english
    assert "Menu" in english

    AreaContact.objects.create(area=area, user=area_member)
    assert ">Your areas" in header()


def test_an_officials_header_kept_in_memory_follows_the_unread_count_of_the_menu(
    coordinator, police, area
):
    """An official's inbox is in the menu, so only the menu button's count changes."""
    client = client_for(coordinator)

    def menu_button() -> str:
        page = client.get("/").content.decode()
        return page[page.index("<summary>") : page.index("</summary>")]

    assert '<span class="count">' not in menu_button()
    unread_alert(coordinator, police, area)
    assert '<span class="count">1<span class="visually-hidden">' in menu_button()


def test_the_notification_settings_have_one_name_in_the_menu_the_start_page_and_their_own(
    area_member,
):
    client = client_for(area_member)
    page = client.get(reverse("notifications:preferences")).content.decode()
    start = client.get(reverse("watch:home")).content.decode()

    assert "<h1>How you are told</h1>" in page
    assert "<title>How you are told · " in page
    link = (
        f'<a class="item-title" href="{reverse("notifications:preferences")}">How you are told</a>'
    )
    assert link in start
    assert "Notifications" not in page.split("<main")[0].split('class="menu"')[1]
