"""The pages that bring the features together for a role: the home page, a resident's
household page, the list of areas a person manages, and an area's management page.

Management pages look areas up through ``watch.shortcuts.managed_area_or_404`` (and lists
through ``permissions.manageable_areas``), so an area someone may not manage is a 404: its
existence is not revealed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedRequest
from watch import permissions
from watch.areas import selectors as area_selectors
from watch.areas import upkeep
from watch.areas.models import Municipality
from watch.areas.widgets import map_point
from watch.community import away, meetings
from watch.dashboards import selectors
from watch.decorators import manager_required
from watch.households import selectors as household_selectors
from watch.households.forms import (
    ContactSharingForm,
    EmailForm,
    HouseholdForm,
)
from watch.households.models import MembershipStatus
from watch.paper import selectors as paper_selectors
from watch.shortcuts import managed_area_or_404

# The map shows every household; the table, this many at a time (the CSV and the
# printable list have them all): each row is a fifth of a millisecond of template work
# (docs/performance.md, "The first round").
HOUSEHOLDS_PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    """The start page of the role the visitor acts in; the first page after logging in."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "watch/home.html", {"municipalities": Municipality.objects.all()})
    if permissions.acts_for_municipalities(user):
        return render(
            request,
            "watch/start_official.html",
            {"start": selectors.official_start(user)},
        )
    if permissions.roles_of(user).is_area_contact:
        contact = selectors.contact_start(user)
        return render(
            request,
            "watch/start_contact.html",
            {
                "start": contact,
                "points": [
                    map_point(r.household.longitude, r.household.latitude, str(r.household))
                    for r in contact.requests
                ],
                "outlines": [area.boundary for area in contact.areas],
                "letters_due": paper_selectors.letters_to_deliver(contact.areas),
                # Contacts see members' phones and addresses: a second factor is offered.
                "offer_second_factor": not permissions.roles_of(user).has_mfa,
            },
        )
    start = selectors.resident_start(user)
    household = start.household
    return render(
        request,
        "watch/start_resident.html",
        {
            "start": start,
            "Step": selectors.Step,
            "points": [map_point(household.longitude, household.latitude, str(household))]
            if household
            else [],
            "outlines": [start.area.boundary] if start.area else [],
            # The first step is on the start page itself: the address, and the join request.
            "household_form": HouseholdForm(offer_to_join=True)
            if start.step == selectors.Step.REGISTER
            else None,
        },
    )


@manager_required
def manage(request: AuthenticatedRequest) -> HttpResponse:
    """Every area the user may manage, with households, members and pending requests."""
    if not permissions.can_manage_areas(request.user):
        raise Http404
    areas = household_selectors.areas_with_counts(
        permissions.manageable_areas(request.user)
    ).order_by("municipality__name", "name")
    return render(
        request,
        "watch/manage.html",
        {
            "areas": areas,
            "can_create": permissions.can_see_interest(request.user),
        },
    )


@manager_required
def manage_area(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    sections = selectors.area_sections(area)
    households = household_selectors.area_households(area)
    page = Paginator(households, HOUSEHOLDS_PAGE_SIZE).get_page(request.GET.get("page"))
    household_selectors.add_members(page)
    paper = paper_selectors.area_paper(
        area, any_on_paper=any(household.paper_id is not None for household in households)
    )
    return render(
        request,
        "watch/manage_area.html",
        {
            "area": area,
            "pending": household_selectors.pending_requests(area) if sections.has_pending else [],
            "households": page,
            "points": [map_point(h.longitude, h.latitude, str(h)) for h in households],
            "outlines": [area.boundary],
            "can_edit": permissions.can_edit_area(request.user, area),
            "confirmation_due": upkeep.confirmation_due(area),
            "invite_form": EmailForm(),
            "meetings": meetings.upcoming(area) if sections.has_meetings else [],
            "can_schedule": permissions.can_schedule_meeting(request.user, area),
            "away_notices": away.area_notices(area)
            if sections.has_away_notices and permissions.can_see_away_notices(request.user, area)
            else [],
            "paper": paper,
        },
    )


@login_required
def household(request: AuthenticatedRequest) -> HttpResponse:
    current = household_selectors.household_of(request.user)
    if current is None:
        return redirect("watch:household_edit")
    membership = household_selectors.current_membership(current)
    covering = area_selectors.areas_covering(current.longitude, current.latitude)
    approved_area = (
        membership.area
        if membership is not None and membership.status == MembershipStatus.APPROVED
        else None
    )
    calendar_url = (
        meetings.calendar_url(user=request.user, area=approved_area) if approved_area else ""
    )
    return render(
        request,
        "watch/household.html",
        {
            "household": current,
            "membership": membership,
            "covering": covering,
            "members": current.members.select_related("user"),
            "history": current.memberships.select_related("area").order_by("-requested_at"),
            "interest": household_selectors.interest_of(current),
            "invite_form": EmailForm(),
            "meetings": meetings.upcoming(approved_area) if approved_area else [],
            "calendar_url": calendar_url,
            "calendar_subscribe_url": meetings.subscribe_url(calendar_url),
            "neighbours_away": away.neighbour_notices(approved_area, household=current)
            if approved_area
            else [],
            "sharing_form": ContactSharingForm(
                initial={
                    "share_contact_details": current.members.filter(
                        user=request.user, share_contact_details=True
                    ).exists()
                }
            ),
            "neighbours": household_selectors.sharing_neighbours(current, approved_area)
            if approved_area
            else [],
            "private_neighbours": household_selectors.private_neighbour_households(
                current, approved_area
            )
            if approved_area
            else 0,
        },
    )
