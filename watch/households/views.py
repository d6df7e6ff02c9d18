"""A resident's household and memberships, and the decisions of those who manage areas.

Management URLs look objects up through ``permissions.manageable_areas``, so a
request someone may not decide is a 404: its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from config.ratelimit import rate_limited, seconds_until_allowed, too_many_requests
from watch import permissions
from watch.areas.models import WatchArea
from watch.areas.widgets import map_point
from watch.decorators import manager_required
from watch.households import invitations, selectors, services
from watch.households.forms import (
    ContactSharingForm,
    EmailForm,
    HouseholdForm,
    InterestForm,
    ReasonForm,
    RequiredReasonForm,
)
from watch.households.models import Membership, MembershipStatus
from watch.shortcuts import managed_area_or_404, next_page, show_errors
from watch.spreadsheets import csv_response


@login_required
@require_POST
def household_sharing(request: AuthenticatedRequest) -> HttpResponse:
    form = ContactSharingForm(request.POST)
    form.is_valid()  # a checkbox: anything but "on" means no
    share = form.cleaned_data.get("share_contact_details", False)
    try:
        services.set_contact_sharing(user=request.user, share=share)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("The other members of your area now see your contact details.")
            if share
            else _("Only your area contacts see your contact details now."),
        )
    return redirect("watch:household")


@login_required
def household_edit(request: AuthenticatedRequest) -> HttpResponse:
    current = selectors.household_of(request.user)
    form = HouseholdForm(request.POST or None, instance=current, offer_to_join=current is None)
    if request.method == "POST" and form.is_valid():
        ask_to_join = form.cleaned_data.get("ask_to_join", False)
        # The join request counts against the same limit as the join button's.
        if ask_to_join and (wait := seconds_until_allowed("join", request.user.pk)):
            return too_many_requests(request, wait)
        services.register_household(user=request.user, address=form.address())
        try:
            membership = services.ask_to_join_home_area(user=request.user) if ask_to_join else None
        except ValidationError as error:  # a second click won the race to ask
            show_errors(request, error)
            return redirect("watch:home")
        if membership is None:
            messages.success(request, _("Your household has been saved."))
            return redirect("watch:household")
        messages.success(
            request,
            _("Your household has been saved, and %(area)s's contacts have your request.")
            % {"area": membership.area.name},
        )
        return redirect("watch:home")
    return render(request, "watch/household_form.html", {"form": form, "household": current})


@login_required
@require_POST
@rate_limited("join")
def join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(WatchArea.objects.active(), pk=pk)
    try:
        services.request_membership(user=request.user, area=area)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Your request has been sent to the area's contacts."))
    return redirect("watch:household")


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: AuthenticatedRequest) -> HttpResponse:
    """Leave the area, or withdraw the request to join, after a page that says what it
    means: a whole household stops getting its area's alerts, and a contact must approve
    it again to come back. It was one tap of a button under the area's name."""
    if request.method == "GET":
        current = selectors.household_of(request.user)
        membership = selectors.current_membership(current) if current else None
        if membership is None:
            return redirect("watch:household")
        return render(request, "watch/leave_confirm.html", {"membership": membership})
    try:
        services.leave_area(user=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Your household has left the area."))
    return redirect("watch:household")


@login_required
def interest(request: AuthenticatedRequest) -> HttpResponse:
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_interest(
                user=request.user,
                municipality=form.cleaned_data["municipality"],
                may_contact=form.cleaned_data["may_contact"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Thank you! The municipality can now see your interest."))
        return redirect("watch:household")
    return render(request, "watch/interest_form.html", {"form": form})


@login_required
@require_POST
@rate_limited("household_invite")
def household_invite(request: AuthenticatedRequest) -> HttpResponse:
    form = EmailForm(request.POST)
    if not form.is_valid():
        show_errors(request, ValidationError(list(form.errors["email"])))
        return redirect("watch:household")
    try:
        invitations.invite_to_household(user=request.user, email=form.cleaned_data["email"])
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The invitation has been sent."))
    return redirect("watch:household")


@login_required
def invitation(request: AuthenticatedRequest, token: str) -> HttpResponse:
    try:
        invitation = invitations.read_invitation(token)
    except ValidationError as error:
        return render(request, "watch/invitation.html", {"error": error.messages[0]}, status=400)
    if request.method == "POST":
        if invitation.kind == "area" and selectors.household_of(request.user) is None:
            messages.info(request, _("Register your household first, then open the link again."))
            return redirect("watch:household_edit")
        try:
            message = invitations.accept_invitation(user=request.user, invitation=invitation)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, message)
        return redirect("watch:household")
    return render(request, "watch/invitation.html", {"invitation": invitation})


def _managed_membership(request: AuthenticatedRequest, pk: int, status: str) -> Membership:
    return get_object_or_404(
        Membership.objects.filter(
            status=status,
            area__in=WatchArea.objects.filter(permissions.manageable_areas(request.user)),
        ).select_related("area__municipality", "household", "requested_by"),
        pk=pk,
    )


@manager_required
@require_POST
def approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, MembershipStatus.REQUESTED)
    try:
        services.approve_request(actor=request.user, membership=membership)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, _("%(household)s is now a member.") % {"household": membership.household}
        )
    return redirect(next_page(request) or reverse("watch:manage_area", args=[membership.area_id]))


@manager_required
def decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, MembershipStatus.REQUESTED)
    return _decision(
        request, membership, ReasonForm, services.decline_request, _("Decline the request")
    )


@manager_required
def remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, MembershipStatus.APPROVED)
    return _decision(
        request,
        membership,
        RequiredReasonForm,
        services.remove_household,
        _("Remove the household"),
    )


def _decision(
    request: AuthenticatedRequest,
    membership: Membership,
    form_class: type[ReasonForm],
    service: Callable[..., Membership],
    title: str,
) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, membership=membership, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(
                request,
                _("Done. %(household)s has been told by e-mail.")
                % {"household": membership.household},
            )
        return redirect(
            next_page(request) or reverse("watch:manage_area", args=[membership.area_id])
        )
    return render(
        request,
        "watch/decision_form.html",
        {"form": form, "membership": membership, "title": title, "next": next_page(request)},
    )


@manager_required
@require_POST
@rate_limited("area_invite")
def area_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    form = EmailForm(request.POST)
    if form.is_valid():
        invitations.invite_to_area(actor=request.user, area=area, email=form.cleaned_data["email"])
        messages.success(request, _("The invitation has been sent."))
    else:
        show_errors(request, ValidationError(list(form.errors["email"])))
    return redirect("watch:manage_area", pk=area.pk)


CSV_HEADER = ("household", "postal_code", "town", "name", "email", "phone")


def _export_rows(request: AuthenticatedRequest, area: WatchArea) -> list[dict[str, str]]:
    """The member list for distribution: contact details only where members agreed."""
    rows = []
    for member in services.members_for_export(actor=request.user, area=area):
        shared = member.share_contact_details
        rows.append(
            {
                "household": member.household.street_address if shared else "",
                "postal_code": member.household.postal_code if shared else "",
                "town": member.household.town,
                "name": member.user.full_name,
                "email": member.user.email if shared else "",
                "phone": member.user.phone_display if shared else "",
            }
        )
    return rows


@manager_required
@require_GET
def members_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    return csv_response(
        filename=f"members-{area.pk}.csv",
        header=_csv_headers(),
        rows=([row[key] for key in CSV_HEADER] for row in _export_rows(request, area)),
    )


def _csv_headers() -> list[str]:
    return [_("Address"), _("Postal code"), _("Town"), _("Name"), _("E-mail"), _("Phone")]


@manager_required
@require_GET
def members_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    return render(
        request, "watch/members_print.html", {"area": area, "rows": _export_rows(request, area)}
    )


@manager_required
@require_GET
def interest_map(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_see_interest(request.user):
        raise Http404
    interests = selectors.interest_in(permissions.administered_municipalities(request.user))
    points = [
        map_point(
            item.household.longitude,
            item.household.latitude,
            f"{item.household.postal_code} {item.household.town}",
        )
        for item in interests
    ]
    return render(request, "watch/interest_map.html", {"interests": interests, "points": points})
