"""Each role's main task from its start page after logging in, in a real browser, with a
budget of actions (tests/budget.py): what the start pages and the header are for."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.browser import (
    DESKTOP,
    PHONE,
    Browsing,
    browsing_fixture,  # noqa: F401 (the fixture "browsing")
    chromium_fixture,  # noqa: F401 (the fixture "chromium")
    expect,
)
from tests.budget import Actions
from tests.factories import HouseholdFactory, UserFactory, resident
from watch.households.models import Household, Membership, MembershipStatus

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_area_contact_approves_a_waiting_household_in_one_action(
    browsing: Browsing, area_contact, area, viewport
):
    user = UserFactory(full_name="Vera Väntande")
    household = HouseholdFactory.inside(area, street_address="Väntgatan 3")
    resident(user, household)
    membership = Membership.objects.create(household=household, area=area, requested_by=user)
    page = browsing.page(area_contact, viewport=viewport)
    actions = Actions(page)

    page.goto(reverse("watch:home"))
    actions.click(page.get_by_role("button", name="Approve Väntgatan 3"))

    expect(page.locator(".banner-success")).to_contain_text(
        "Väntgatan 3, Mariestad is now a member"
    )
    assert page.url.endswith(reverse("watch:home"))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert actions.count <= 3
    browsing.screenshot(page, "approved")
    browsing.assert_no_script_errors()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_new_resident_goes_from_the_verified_e_mail_to_a_join_request_in_six_actions(
    browsing: Browsing, area, area_contact, viewport
):
    page = browsing.page(viewport=viewport)
    # Signing up comes before the budget: it ends with the e-mail to verify.
    page.goto(reverse("account_signup"))
    page.get_by_label(re.compile("^E-?mail", re.IGNORECASE)).fill("ny.granne@example.org")
    page.get_by_label(re.compile("^Full name")).fill("Nora Granne")
    page.get_by_label(re.compile(r"^Password:?$")).fill("ett långt lösenord 42")
    page.get_by_label(re.compile("^Password \\(again\\)")).fill("ett långt lösenord 42")
    page.get_by_role("button", name="Sign up").click()
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[-1].body)
    assert link is not None
    inside = area.shape.representative_point()
    actions = Actions(page)

    page.goto(link.group(0))
    actions.click(page.get_by_role("button", name="Confirm"))
    # Logged in, on the start page: the address and the join request are one form.
    actions.fill(page.get_by_label(re.compile("^Street address")), "Nygatan 1")
    actions.fill(page.get_by_label(re.compile("^Postal code")), "542 30")
    actions.fill(page.get_by_label(re.compile("^Town")), "Mariestad")
    # A place copied from a map app, pasted whole: its fields are folded away under the
    # map, for the few who type or paste (the rest tap the map).
    actions.click(page.get_by_text("Type the coordinates instead"))
    actions.fill(page.get_by_label(re.compile("^Latitude")), f"{inside.y:.5f}, {inside.x:.5f}")
    expect(page.get_by_label("Ask to join the watch area my home is in")).to_be_checked()
    actions.click(page.get_by_role("button", name="Save"))

    expect(page.locator(".messages")).to_contain_text(f"{area.name}'s contacts have your request")
    # The start page now says where the resident stands: waiting for the area.
    expect(page.get_by_role("heading", name=f"Waiting for {area.name}")).to_be_visible()
    assert actions.count <= 7, actions.count
    household = Household.objects.get(street_address="Nygatan 1")
    membership = Membership.objects.get(household=household)
    assert (membership.area, membership.status) == (area, MembershipStatus.REQUESTED)
    assert any(area_contact.email in message.to for message in mail.outbox)
    browsing.screenshot(page, "waiting")
    browsing.assert_no_script_errors()
