"""Members report observations; area contacts and coordinators see, handle and export them.

Every observation page looks its objects up through
``permissions.visible_observations``: an observation someone may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from config.ratelimit import rate_limited
from watch import observations, permissions, photos, selectors
from watch.models import Observation
from watch.observation_forms import ObservationFilterForm, ObservationForm
from watch.spreadsheets import csv_response
from watch.views import manager_required

PAGE_SIZE = 50


@login_required
@rate_limited("observation")
def observation_report(request: HttpRequest) -> HttpResponse:
    allowed = permissions.can_report_observation(request.user)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    form = ObservationForm(
        request.POST or None, request.FILES or None, initial=_initial(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            observations.report_observation(
                reporter=request.user, details=form.details(), photo=form.cleaned_photo()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you! The area's contacts and the municipality have been told.")
            )
            return redirect("watch:household")
    return render(request, "watch/observation_form.html", {"form": form, "allowed": allowed})


def _initial(user: User) -> dict[str, object]:
    """Now, at home: most observations are made near one's own street, shortly before."""
    initial: dict[str, object] = {"observed_at": timezone.localtime().replace(second=0)}
    household = selectors.household_of(user)
    if household is not None:
        initial |= {"longitude": household.longitude, "latitude": household.latitude}
    return initial


def _observer_required(request: HttpRequest) -> None:
    if not permissions.can_see_observations(request.user):
        raise Http404


def _filtered(request: HttpRequest) -> tuple[ObservationFilterForm, QuerySet[Observation]]:
    form = ObservationFilterForm(
        request.GET or None, areas=permissions.manageable_areas(request.user)
    )
    return form, observations.visible_to(request.user).filter(form.to_filter().q())


@manager_required
@require_GET
def observation_list(request: HttpRequest) -> HttpResponse:
    _observer_required(request)
    form, found = _filtered(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "watch/observation_list.html",
        {
            "form": form,
            "page": page,
            "points": [
                {
                    "lon": item.longitude,
                    "lat": item.latitude,
                    "label": f"{item.get_category_display()}, "
                    f"{timezone.localtime(item.observed_at):%Y-%m-%d %H:%M}",
                }
                for item in page
            ],
        },
    )


@manager_required
@require_POST
def observation_handled(request: HttpRequest, pk: int) -> HttpResponse:
    _observer_required(request)
    observation = get_object_or_404(observations.visible_to(request.user), pk=pk)
    try:
        observations.mark_handled(actor=request.user, observation=observation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The observation is marked handled."))
    return redirect("watch:observation_list")


@manager_required
@require_GET
def observation_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The photo, to those who may see the observation: it is personal data."""
    _observer_required(request)
    observation = get_object_or_404(
        Observation.objects.filter(permissions.visible_observations(request.user)).exclude(
            photo=""
        ),
        pk=pk,
    )
    extension = observation.photo.name.rsplit(".", 1)[-1].lower()
    try:
        handle = observation.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=photos.CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="observation-{observation.pk}.{extension}"'
    return response


@manager_required
@require_GET
def observations_csv(request: HttpRequest) -> HttpResponse:
    _observer_required(request)
    _form, found = _filtered(request)
    rows = observations.export(actor=request.user, observations=found)
    return csv_response(
        filename="observations.csv",
        header=[
            _("Number"),
            _("When"),
            _("Category"),
            _("Municipality"),
            _("Area"),
            _("Latitude"),
            _("Longitude"),
            _("What was seen"),
            _("Photo"),
            pgettext("an observation, as a column", "Handled"),
            _("Handled by"),
        ],
        rows=(
            [
                row.pk,
                f"{timezone.localtime(row.observed_at):%Y-%m-%d %H:%M}",
                row.get_category_display(),
                row.municipality.name,
                row.area.name if row.area else "",
                row.latitude,
                row.longitude,
                row.description,
                _("Yes") if row.photo else _("No"),
                f"{timezone.localtime(row.handled_at):%Y-%m-%d %H:%M}" if row.handled_at else "",
                row.handled_by.full_name if row.handled_by else "",
            ]
            for row in rows
        ),
    )
