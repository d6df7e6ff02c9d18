"""The area's signs: its managers place and keep them, members say how they fare."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from config.ratelimit import rate_limited
from watch import permissions
from watch.decorators import manager_required
from watch.shortcuts import managed_area_or_404
from watch.signs import selectors, services
from watch.signs.forms import DecalsForm, SignForm, SignReportForm
from watch.signs.models import Sign


@manager_required
def area_signs(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The area's signs on its map, and a new one placed with the pin."""
    area = managed_area_or_404(request, pk)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_sign(
                actor=request.user, area=area, details=services.SignDetails(**form.cleaned_data)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The sign is on the map."))
            return redirect("watch:area_signs", pk=area.pk)
    signs = selectors.area_signs(area)
    memberships = selectors.member_households(area)
    return render(
        request,
        "watch/area_signs.html",
        {
            "area": area,
            "signs": signs,
            "form": form,
            "decals_form": DecalsForm(memberships=memberships),
            "points": selectors.as_points(signs),
            "outlines": [area.boundary],
            "center": f"{(area.min_lat + area.max_lat) / 2},{(area.min_lon + area.max_lon) / 2}",
        },
    )


def _managed_sign(request: AuthenticatedRequest, pk: int) -> Sign:
    sign = get_object_or_404(Sign.objects.select_related("area"), pk=pk)
    managed_area_or_404(request, sign.area_id)
    return sign


@manager_required
def sign_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sign = _managed_sign(request, pk)
    initial = {
        "latitude": sign.latitude,
        "longitude": sign.longitude,
        "place": sign.place,
        "put_up_on": sign.put_up_on,
        "condition": sign.condition,
    }
    form = SignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_sign(
                actor=request.user,
                area=sign.area,
                details=services.SignDetails(**form.cleaned_data),
                sign=sign,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The sign is saved."))
            return redirect("watch:area_signs", pk=sign.area_id)
    return render(
        request,
        "watch/sign_form.html",
        {
            "sign": sign,
            "area": sign.area,
            "form": form,
            "reports": sign.reports.select_related("reported_by")[:10],
        },
    )


@require_POST
@manager_required
def sign_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sign = _managed_sign(request, pk)
    services.remove_sign(actor=request.user, sign=sign)
    messages.success(request, _("The sign is taken off the map."))
    return redirect("watch:area_signs", pk=sign.area_id)


@manager_required
@rate_limited("sign_report")
def sign_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A member of the area says how a sign fares."""
    sign = get_object_or_404(Sign.objects.select_related("area"), pk=pk)
    if not permissions.can_report_sign(request.user, sign.area):
        raise Http404
    form = SignReportForm(request.POST or None, initial={"condition": sign.condition})
    if request.method == "POST" and form.is_valid():
        try:
            services.report(actor=request.user, sign=sign, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("Thank you: the area's contacts can see what you reported."))
        return redirect(sign.area.get_absolute_url())
    return render(
        request, "watch/sign_report.html", {"sign": sign, "area": sign.area, "form": form}
    )


@require_POST
@manager_required
def area_decals(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    form = DecalsForm(request.POST, memberships=selectors.member_households(area))
    if not form.is_valid():
        messages.error(
            request, _("Each household has between 0 and %(most)s decals.") % {"most": form.MOST}
        )
    else:
        services.set_decals(actor=request.user, area=area, counts=form.counts())
        messages.success(request, _("The decals are saved."))
    return redirect("watch:area_signs", pk=area.pk)
