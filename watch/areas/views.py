"""Areas in public (the map, the list, an area's page) and their drawing by officials."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from config.ids import as_id
from official.police_events import selectors as police_events
from watch import permissions
from watch.areas import geocoding, selectors, services, upkeep
from watch.areas.forms import AddressSearchForm, AreaForm
from watch.areas.models import AreaStatus, Municipality, WatchArea
from watch.areas.widgets import map_point
from watch.decorators import manager_required
from watch.households import selectors as household_selectors
from watch.shortcuts import managed_area_or_404


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
    body = selectors.public_areas_geojson(
        municipality_slug=request.GET.get("municipality", ""),
        exclude=as_id(request.GET.get("exclude", "")),
    )
    return HttpResponse(body, content_type="application/geo+json")


@require_GET
def municipalities_geojson(request: HttpRequest) -> HttpResponse:
    """The municipalities' borders, for maps without their background (public data)."""
    return HttpResponse(
        selectors.municipality_outlines_geojson(), content_type="application/geo+json"
    )


@require_GET
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(WatchArea.objects.select_related("municipality"), pk=pk)
    if not permissions.can_see_area_page(request.user, area):
        raise Http404
    household = (
        household_selectors.household_of(request.user) if request.user.is_authenticated else None
    )
    membership = household_selectors.current_membership(household) if household else None
    covers_household = household is not None and area in selectors.areas_covering(
        household.longitude, household.latitude
    )
    return render(
        request,
        "watch/area_detail.html",
        {
            "area": area,
            "contacts": area.contacts.select_related("user"),
            "household": household,
            "membership": membership,
            "covers_household": covers_household,
            "can_manage": permissions.can_manage_area(request.user, area),
            "can_edit": permissions.can_edit_area(request.user, area),
            "police_events": police_events.latest([area.municipality_id]),
            "signs": list(area.signs.all()),
            "can_report_sign": permissions.can_report_sign(request.user, area),
            "outlines": [area.boundary],
            # Only the visitor's own home, and only if it is in the area.
            "points": [map_point(household.longitude, household.latitude, _("Your home"))]
            if household is not None and covers_household
            else [],
        },
    )


@manager_required
def area_create(request: AuthenticatedRequest) -> HttpResponse:
    return _area_form(request, area=None)


@manager_required
def area_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    if not permissions.can_edit_area(request.user, area):
        raise PermissionDenied
    return _area_form(request, area=area)


def _area_form(request: AuthenticatedRequest, *, area: WatchArea | None) -> HttpResponse:
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
        }
        if area
        else {"status": AreaStatus.PROPOSED}
    )
    form = AreaForm(
        request.POST or None, request.FILES or None, initial=initial, municipalities=municipalities
    )
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


# --- The yearly check that an area lives (watch.areas.upkeep) --------------------------------


@require_POST
@manager_required
def area_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    upkeep.confirm(actor=request.user, area=area)
    messages.success(request, _("Thank you: %(area)s is confirmed as active.") % {"area": area})
    return redirect("watch:manage_area", pk=area.pk)


@require_POST
@manager_required
def area_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    upkeep.close(actor=request.user, area=area)
    messages.success(request, _("%(area)s is closed.") % {"area": area})
    return redirect("watch:home")


@require_POST
@manager_required
def area_revive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    upkeep.revive(actor=request.user, area=area)
    messages.success(request, _("%(area)s is active and confirmed.") % {"area": area})
    return redirect("watch:home")
