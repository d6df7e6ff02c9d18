"""Views of the watch app: thin wrappers around forms, selectors and services.

Management pages look objects up through ``permissions.manageable_areas``, so an
area or request someone may not manage is a 404: its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.ratelimit import rate_limited
from watch import away, geocoding, meetings, permissions, selectors, services
from watch.forms import (
    AddressSearchForm,
    AppointContactForm,
    AreaForm,
    ContactSharingForm,
    EmailForm,
    HouseholdForm,
    InterestForm,
    ReasonForm,
    RequiredReasonForm,
)
from watch.models import (
    AreaContact,
    AreaStatus,
    Interest,
    Membership,
    MembershipStatus,
    Municipality,
    WatchArea,
)
from watch.spreadsheets import csv_response

View = Callable[..., HttpResponse]

# The map shows every household; the table, this many at a time (the CSV and the
# printable list have them all).
HOUSEHOLDS_PAGE_SIZE = 50


def manager_required(view: View) -> View:
    """Signed in; officials are sent to set up two-factor authentication first."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if permissions.roles_of(request.user).official_needs_mfa:
            messages.warning(
                request,
                _("Set up two-factor authentication before you use your role as an official."),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Public ------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "watch/home.html", {"municipalities": Municipality.objects.all()})


@require_GET
def area_list(request: HttpRequest) -> HttpResponse:
    """The public map of active areas, with a plain list for people who cannot use a map."""
    municipalities = Municipality.objects.all()
    selected = request.GET.get("municipality", "")
    areas = WatchArea.objects.active().select_related("municipality").order_by("name")
    if selected:
        areas = areas.filter(municipality__slug=selected)
    search = None
    if geocoding.enabled():
        search = AddressSearchForm(request.GET if "street_address" in request.GET else None)
    place = search.find() if search and search.is_valid() else None
    return render(
        request,
        "watch/area_list.html",
        {
            "areas": areas,
            "municipalities": municipalities,
            "selected": selected,
            "search": search,
            "place": place,
            "covering": selectors.areas_covering(place.longitude, place.latitude) if place else [],
        },
    )


@require_GET
def areas_geojson(request: HttpRequest) -> HttpResponse:
    """Active areas as a FeatureCollection: names and links only, never personal data."""
    exclude = request.GET.get("exclude", "")
    body = selectors.public_areas_geojson(
        municipality_slug=request.GET.get("municipality", ""),
        exclude=int(exclude) if exclude.isdigit() else None,
    )
    return HttpResponse(body, content_type="application/geo+json")


@require_GET
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(WatchArea.objects.select_related("municipality"), pk=pk)
    if not permissions.can_see_area_page(request.user, area):
        raise Http404
    household = selectors.household_of(request.user) if request.user.is_authenticated else None
    membership = selectors.current_membership(household) if household else None
    return render(
        request,
        "watch/area_detail.html",
        {
            "area": area,
            "contacts": area.contacts.select_related("user"),
            "household": household,
            "membership": membership,
            "covers_household": household is not None
            and area in selectors.areas_covering(household.longitude, household.latitude),
            "can_manage": permissions.can_manage_area(request.user, area),
            "can_edit": permissions.can_edit_area(request.user, area),
        },
    )


# --- Residents ---------------------------------------------------------------------------


@login_required
def household(request: HttpRequest) -> HttpResponse:
    current = selectors.household_of(request.user)
    if current is None:
        return redirect("watch:household_edit")
    membership = selectors.current_membership(current)
    covering = selectors.areas_covering(current.longitude, current.latitude)
    approved_area = (
        membership.area
        if membership is not None and membership.status == MembershipStatus.APPROVED
        else None
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
            "interest": Interest.objects.filter(household=current).first(),
            "invite_form": EmailForm(),
            "meetings": meetings.upcoming(approved_area) if approved_area else [],
            "calendar_url": meetings.calendar_url(user=request.user, area=approved_area)
            if approved_area
            else "",
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
            "neighbours": selectors.sharing_neighbours(current, approved_area)
            if approved_area
            else [],
            "private_neighbours": selectors.private_neighbour_households(current, approved_area)
            if approved_area
            else 0,
        },
    )


@login_required
@require_POST
def household_sharing(request: HttpRequest) -> HttpResponse:
    form = ContactSharingForm(request.POST)
    form.is_valid()  # a checkbox: anything but "on" means no
    share = form.cleaned_data.get("share_contact_details", False)
    try:
        services.set_contact_sharing(user=request.user, share=share)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("The other members of your area now see your contact details.")
            if share
            else _("Only your area contacts see your contact details now."),
        )
    return redirect("watch:household")


@login_required
def household_edit(request: HttpRequest) -> HttpResponse:
    current = selectors.household_of(request.user)
    form = HouseholdForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.register_household(user=request.user, address=form.address())
        messages.success(request, _("Your household has been saved."))
        return redirect("watch:household")
    return render(request, "watch/household_form.html", {"form": form, "household": current})


@login_required
@require_POST
@rate_limited("join")
def join(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(WatchArea.objects.active(), pk=pk)
    try:
        services.request_membership(user=request.user, area=area)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Your request has been sent to the area's contacts."))
    return redirect("watch:household")


@login_required
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    try:
        services.leave_area(user=request.user)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Your household has left the area."))
    return redirect("watch:household")


@login_required
def interest(request: HttpRequest) -> HttpResponse:
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_interest(
                user=request.user,
                municipality=form.cleaned_data["municipality"],
                may_contact=form.cleaned_data["may_contact"],
            )
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("Thank you! The municipality can now see your interest."))
        return redirect("watch:household")
    return render(request, "watch/interest_form.html", {"form": form})


@login_required
@require_POST
@rate_limited("household_invite")
def household_invite(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST)
    if not form.is_valid():
        _error_messages(request, ValidationError(list(form.errors["email"])))
        return redirect("watch:household")
    try:
        services.invite_to_household(user=request.user, email=form.cleaned_data["email"])
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The invitation has been sent."))
    return redirect("watch:household")


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.read_invitation(token)
    except ValidationError as error:
        return render(request, "watch/invitation.html", {"error": error.messages[0]}, status=400)
    if request.method == "POST":
        if invitation.kind == "area" and selectors.household_of(request.user) is None:
            messages.info(request, _("Register your household first, then open the link again."))
            return redirect("watch:household_edit")
        try:
            message = services.accept_invitation(user=request.user, invitation=invitation)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, message)
        return redirect("watch:household")
    return render(request, "watch/invitation.html", {"invitation": invitation})


# --- Area contacts and officials ---------------------------------------------------------


def _managed_area(request: HttpRequest, pk: int) -> WatchArea:
    return get_object_or_404(
        WatchArea.objects.filter(permissions.manageable_areas(request.user)).select_related(
            "municipality"
        ),
        pk=pk,
    )


@manager_required
def manage(request: HttpRequest) -> HttpResponse:
    """Every area the user may manage, with households, members and pending requests."""
    roles = permissions.roles_of(request.user)
    if not (roles.is_admin or roles.is_official or roles.is_area_contact):
        raise Http404
    areas = selectors.areas_with_counts(permissions.manageable_areas(request.user)).order_by(
        "municipality__name", "name"
    )
    return render(
        request,
        "watch/manage.html",
        {
            "areas": areas,
            "can_create": roles.is_admin or roles.is_official,
        },
    )


@manager_required
def area_create(request: HttpRequest) -> HttpResponse:
    return _area_form(request, area=None)


@manager_required
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = _managed_area(request, pk)
    if not permissions.can_edit_area(request.user, area):
        raise PermissionDenied
    return _area_form(request, area=area)


def _area_form(request: HttpRequest, *, area: WatchArea | None) -> HttpResponse:
    municipalities = permissions.administered_municipalities(request.user)
    if not Municipality.objects.filter(municipalities).exists():
        raise Http404
    initial = (
        {
            "municipality": area.municipality,
            "name": area.name,
            "status": area.status,
            "boundary": area.boundary,
            "description": area.description,
            "start_meeting_date": area.start_meeting_date,
            "signs_up": area.signs_up,
        }
        if area
        else {"status": AreaStatus.PROPOSED}
    )
    form = AreaForm(request.POST or None, initial=initial, municipalities=municipalities)
    context_url = reverse("watch:areas_geojson")
    form.fields["boundary"].widget.context_url = (
        f"{context_url}?exclude={area.pk}" if area else context_url
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved, overlaps = services.save_area(
                actor=request.user,
                municipality=form.cleaned_data["municipality"],
                details=form.details(),
                area=area,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The area %(name)s has been saved.") % {"name": saved.name})
            for other in overlaps:
                messages.warning(
                    request,
                    _("The area overlaps %(other)s in the same municipality.")
                    % {"other": other.name},
                )
            return redirect("watch:manage_area", pk=saved.pk)
    return render(request, "watch/area_form.html", {"form": form, "area": area})


@manager_required
def manage_area(request: HttpRequest, pk: int) -> HttpResponse:
    area = _managed_area(request, pk)
    households = Paginator(selectors.area_households(area), HOUSEHOLDS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "watch/manage_area.html",
        {
            "area": area,
            "pending": selectors.pending_requests(area),
            "households": households,
            "points": [
                {"lon": h.longitude, "lat": h.latitude, "label": str(h)}
                for h in selectors.household_locations(area)
            ],
            "contacts": area.contacts.select_related("user"),
            "can_edit": permissions.can_edit_area(request.user, area),
            "invite_form": EmailForm(),
            "decline_form": ReasonForm(),
            "meetings": meetings.upcoming(area),
            "can_schedule": permissions.can_schedule_meeting(request.user, area),
            "away_notices": away.area_notices(area)
            if permissions.can_see_away_notices(request.user, area)
            else [],
        },
    )


def _managed_membership(request: HttpRequest, pk: int, status: str) -> Membership:
    return get_object_or_404(
        Membership.objects.filter(
            status=status,
            area__in=WatchArea.objects.filter(permissions.manageable_areas(request.user)),
        ).select_related("area__municipality", "household"),
        pk=pk,
    )


@manager_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, MembershipStatus.REQUESTED)
    try:
        services.approve_request(actor=request.user, membership=membership)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, _("%(household)s is now a member.") % {"household": membership.household}
        )
    return redirect("watch:manage_area", pk=membership.area_id)


@manager_required
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, MembershipStatus.REQUESTED)
    return _decision(
        request, membership, ReasonForm, services.decline_request, _("Decline the request")
    )


@manager_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, MembershipStatus.APPROVED)
    return _decision(
        request,
        membership,
        RequiredReasonForm,
        services.remove_household,
        _("Remove the household"),
    )


def _decision(
    request: HttpRequest,
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
            _error_messages(request, error)
        else:
            messages.success(request, _("Done. The household has been told by e-mail."))
        return redirect("watch:manage_area", pk=membership.area_id)
    return render(
        request,
        "watch/decision_form.html",
        {"form": form, "membership": membership, "title": title},
    )


@manager_required
@require_POST
@rate_limited("area_invite")
def area_invite(request: HttpRequest, pk: int) -> HttpResponse:
    area = _managed_area(request, pk)
    form = EmailForm(request.POST)
    if form.is_valid():
        services.invite_to_area(actor=request.user, area=area, email=form.cleaned_data["email"])
        messages.success(request, _("The invitation has been sent."))
    else:
        _error_messages(request, ValidationError(list(form.errors["email"])))
    return redirect("watch:manage_area", pk=area.pk)


CSV_HEADER = ("household", "postal_code", "town", "name", "email", "phone")


def _export_rows(request: HttpRequest, area: WatchArea) -> list[dict[str, str]]:
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
def members_csv(request: HttpRequest, pk: int) -> HttpResponse:
    area = _managed_area(request, pk)
    return csv_response(
        filename=f"members-{area.pk}.csv",
        header=_csv_headers(),
        rows=([row[key] for key in CSV_HEADER] for row in _export_rows(request, area)),
    )


def _csv_headers() -> list[str]:
    return [_("Address"), _("Postal code"), _("Town"), _("Name"), _("E-mail"), _("Phone")]


@manager_required
@require_GET
def members_print(request: HttpRequest, pk: int) -> HttpResponse:
    area = _managed_area(request, pk)
    return render(
        request, "watch/members_print.html", {"area": area, "rows": _export_rows(request, area)}
    )


@manager_required
def area_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    area = _managed_area(request, pk)
    if not permissions.can_edit_area(request.user, area):
        raise PermissionDenied
    form = AppointContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appoint_contact(
                actor=request.user,
                area=area,
                email=form.cleaned_data["email"],
                is_main=form.cleaned_data["is_main"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The area contact has been appointed."))
            return redirect("watch:area_contacts", pk=area.pk)
    return render(
        request,
        "watch/area_contacts.html",
        {"area": area, "contacts": area.contacts.select_related("user"), "form": form},
    )


def _add_errors(form: AppointContactForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@manager_required
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        AreaContact.objects.filter(
            area__in=WatchArea.objects.filter(permissions.manageable_areas(request.user))
        ).select_related("area", "user"),
        pk=pk,
    )
    if not permissions.can_edit_area(request.user, contact.area):
        raise PermissionDenied
    services.remove_contact(actor=request.user, contact=contact)
    messages.success(
        request, _("%(name)s is no longer a contact for the area.") % {"name": contact.user}
    )
    return redirect("watch:area_contacts", pk=contact.area_id)


@manager_required
@require_GET
def interest_map(request: HttpRequest) -> HttpResponse:
    roles = permissions.roles_of(request.user)
    if not (roles.is_admin or roles.is_official):
        raise Http404
    municipalities = Municipality.objects.filter(
        permissions.administered_municipalities(request.user)
    )
    interests = (
        Interest.objects.filter(municipality__in=municipalities)
        .select_related("household", "municipality", "registered_by")
        .order_by("-created_at")
    )
    points = [
        {
            "lon": item.household.longitude,
            "lat": item.household.latitude,
            "label": f"{item.household.postal_code} {item.household.town}",
        }
        for item in interests
    ]
    return render(request, "watch/interest_map.html", {"interests": interests, "points": points})
