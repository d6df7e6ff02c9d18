"""Views of meetings and the area calendar, away notices and observations: thin
wrappers around ``meetings``, ``away`` and ``observations`` of this package.

Meetings are managed from the area's management page, so an area or meeting the
user may not manage is a 404 (as everywhere under /manage/); someone who may
manage the area but not run its meetings (a police officer) gets 403. Every
observation page looks its objects up through ``permissions.visible_observations``:
an observation someone may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from accounts.models import User
from config import photos
from config.ids import as_id
from config.ratelimit import rate_limited, seconds_until_allowed, too_many_requests
from watch import permissions
from watch.areas.models import AreaStatus, WatchArea
from watch.areas.widgets import map_point
from watch.community import away, ical, meetings, observations
from watch.community.forms import (
    AwayNoticeForm,
    MeetingChangeForm,
    MeetingForm,
    ObservationFilterForm,
    ObservationForm,
    ObservationMergeForm,
    ObservationPlaceForm,
    ObservationStatusForm,
)
from watch.community.models import AwayNotice, Meeting, Observation
from watch.decorators import manager_required
from watch.households import selectors as household_selectors
from watch.spreadsheets import csv_response


def _schedulable_area(request: AuthenticatedRequest, pk: int) -> WatchArea:
    area = get_object_or_404(
        WatchArea.objects.filter(permissions.manageable_areas(request.user)).select_related(
            "municipality"
        ),
        pk=pk,
    )
    if not permissions.can_schedule_meeting(request.user, area):
        raise PermissionDenied
    return area


def _schedulable_meeting(request: AuthenticatedRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.filter(
            area__in=WatchArea.objects.filter(permissions.manageable_areas(request.user))
        ).select_related("area__municipality"),
        pk=pk,
    )
    if not permissions.can_schedule_meeting(request.user, meeting.area):
        raise PermissionDenied
    return meeting


def _saved_message(area: WatchArea, text: str) -> str:
    if area.status == AreaStatus.ACTIVE:
        return text
    return _("The meeting has been saved. The area is not active, so no one was told.")


@manager_required
@rate_limited("alert_send")  # saving a meeting invites the whole area
def meeting_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = _schedulable_area(request, pk)
    form = MeetingForm(request.POST or None, first_of_area=not area.meetings.exists())
    if request.method == "POST" and form.is_valid():
        meetings.create_meeting(actor=request.user, area=area, details=form.details())
        messages.success(
            request, _saved_message(area, _("The meeting has been saved and the members invited."))
        )
        return redirect("watch:manage_area", pk=area.pk)
    return render(request, "watch/meeting_form.html", {"form": form, "area": area})


@manager_required
@rate_limited("alert_send")  # saving a meeting invites the whole area
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _schedulable_meeting(request, pk)
    if meeting.cancelled:
        raise Http404
    form = MeetingChangeForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.update_meeting(
                actor=request.user,
                meeting=meeting,
                details=form.details(),
                notify=form.cleaned_data["notify"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _saved_message(meeting.area, _("The meeting has been changed."))
            )
            return redirect("watch:manage_area", pk=meeting.area_id)
    return render(
        request, "watch/meeting_form.html", {"form": form, "area": meeting.area, "meeting": meeting}
    )


@manager_required
def meeting_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _schedulable_meeting(request, pk)
    if request.method == "POST":
        try:
            meetings.cancel_meeting(actor=request.user, meeting=meeting)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _saved_message(meeting.area, _("The meeting has been cancelled."))
            )
        return redirect("watch:manage_area", pk=meeting.area_id)
    return render(request, "watch/meeting_cancel.html", {"meeting": meeting})


@require_GET
def area_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The area's meetings for calendar apps: no login, the signed token is the authority."""
    area = meetings.area_for_token(token)
    if area is None:
        raise Http404
    response = HttpResponse(
        ical.area_feed(area.name, meetings.feed_meetings(area)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="area-{area.pk}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- Away notices --------------------------------------------------------------------------


@login_required
def away_notices(request: AuthenticatedRequest) -> HttpResponse:
    household = household_selectors.household_of(request.user)
    if household is None:
        return redirect("watch:household")
    form = AwayNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            away.create_notice(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your away notice has been saved."))
            return redirect("watch:away_notices")
    return render(
        request,
        "watch/away_notices.html",
        {"form": form, "household": household, "notices": away.open_notices(household)},
    )


@login_required
@require_POST
def away_notice_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        AwayNotice.objects.select_related("household"), pk=pk, household__members__user=request.user
    )
    away.delete_notice(user=request.user, notice=notice)
    messages.success(request, _("The away notice has been deleted."))
    return redirect("watch:away_notices")


# --- Observations: members report; area contacts and coordinators see, handle, export ---

PAGE_SIZE = 50


@login_required
@rate_limited("observation")
def observation_report(request: AuthenticatedRequest) -> HttpResponse:
    """Report what one saw. A report of the same category within 50 m in the last week
    is shown before anything is sent ("Is it one of these?"): the member adds theirs to
    it, or sends theirs as a new one."""
    allowed = permissions.can_report_observation(request.user)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    form = ObservationForm(
        request.POST or None, request.FILES or None, initial=_initial(request.user)
    )
    nearby: list[Observation] = []
    if request.method == "POST" and form.is_valid():
        details = form.details()
        same_as = None
        if request.POST.get("same_as"):
            same_as_id = as_id(request.POST["same_as"])
            if same_as_id is not None:
                same_as = Observation.objects.filter(pk=same_as_id).first()
        elif not request.POST.get("new_report"):
            nearby = observations.nearby(
                category=details.category, longitude=details.longitude, latitude=details.latitude
            )
        if not nearby:
            try:
                if request.POST.get("same_as") and same_as is None:
                    raise ValidationError(_("That report is not an open one near here."))
                observations.report_observation(
                    reporter=request.user,
                    details=details,
                    photo=form.cleaned_photo(),
                    same_as=same_as,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you! The area's contacts and the municipality have been told.")
                    if same_as is None
                    else _("Thank you! Your report was added to the one already made."),
                )
                return redirect("watch:my_observations")
    return render(
        request,
        "watch/observation_form.html",
        {"form": form, "allowed": allowed, "nearby": nearby},
    )


@login_required
@require_GET
@never_cache
def observation_nearby(request: AuthenticatedRequest) -> HttpResponse:
    """ "Is it one of these?" for a category and a place, as the report form shows it on
    sending, fetched by the form as soon as both are chosen (static/js/observation-nearby.js).

    It tells whoever may send a report what sending one would tell them, no more; each
    question counts against a limit of its own, as a report does.
    """
    if not permissions.can_report_observation(request.user):
        raise PermissionDenied
    if wait := seconds_until_allowed("observation_nearby", request.user.pk):
        return too_many_requests(request, wait)
    form = ObservationPlaceForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest()
    place = form.cleaned_data
    nearby = observations.nearby(
        category=place["category"], longitude=place["longitude"], latitude=place["latitude"]
    )
    return render(request, "watch/observation_nearby.html", {"nearby": nearby, "asked": True})


@login_required
@require_GET
def my_observations(request: AuthenticatedRequest) -> HttpResponse:
    """A member's own reports and what became of them."""
    return render(
        request,
        "watch/my_observations.html",
        {"reports": observations.my_reports(request.user)},
    )


def _initial(user: User) -> dict[str, object]:
    """Now, at home: most observations are made near one's own street, shortly before."""
    initial: dict[str, object] = {"observed_at": timezone.localtime().replace(second=0)}
    household = household_selectors.household_of(user)
    if household is not None:
        initial |= {"longitude": household.longitude, "latitude": household.latitude}
    return initial


def _observer_required(request: AuthenticatedRequest) -> None:
    if not permissions.can_see_observations(request.user):
        raise Http404


def _filtered(request: AuthenticatedRequest) -> tuple[ObservationFilterForm, QuerySet[Observation]]:
    form = ObservationFilterForm(
        request.GET or None, areas=permissions.manageable_areas(request.user)
    )
    return form, observations.visible_to(request.user).filter(form.to_filter().q())


@manager_required
@require_GET
def observation_list(request: AuthenticatedRequest) -> HttpResponse:
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
                map_point(
                    item.longitude,
                    item.latitude,
                    f"{item.get_category_display()}, "
                    f"{timezone.localtime(item.observed_at):%Y-%m-%d %H:%M}",
                )
                for item in page
            ],
            "outlines": observations.area_outlines(page),
        },
    )


@manager_required
@require_GET
def observation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One report, its history, and what a handler can do: move it on, or merge it into
    an open report of the same thing nearby."""
    _observer_required(request)
    observation = get_object_or_404(observations.visible_to(request.user), pk=pk)
    return _detail_page(request, observation)


def _detail_page(
    request: AuthenticatedRequest,
    observation: Observation,
    status_form: ObservationStatusForm | None = None,
    merge_form: ObservationMergeForm | None = None,
) -> HttpResponse:
    candidates = _merge_candidates(request, observation)
    return render(
        request,
        "watch/observation_detail.html",
        {
            "observation": observation,
            "history": list(observation.updates.select_related("author", "merged_into")),
            "merged": list(observation.merged.select_related("reporter")),
            "status_form": status_form or ObservationStatusForm(observation=observation),
            "merge_form": merge_form or ObservationMergeForm(candidates=candidates),
            "can_merge": bool(candidates) and observation.merged_into_id is None,
        },
    )


def _merge_candidates(request: AuthenticatedRequest, observation: Observation) -> list[Observation]:
    """Reports of the same thing nearby that the handler may see, to merge this one into."""
    near = observations.nearby(
        category=observation.category,
        longitude=observation.longitude,
        latitude=observation.latitude,
    )
    return list(
        observations.visible_to(request.user).filter(
            pk__in=[other.pk for other in near if other.pk != observation.pk]
        )
    )


@manager_required
@require_POST
def observation_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _observer_required(request)
    observation = get_object_or_404(observations.visible_to(request.user), pk=pk)
    form = ObservationStatusForm(request.POST, observation=observation)
    if form.is_valid():
        try:
            observations.change_status(
                actor=request.user,
                observation=observation,
                status=form.cleaned_data["status"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is updated and its reporter told."))
            return redirect("watch:observation_detail", pk=observation.pk)
    return _detail_page(request, observation, status_form=form)


@manager_required
@require_POST
def observation_merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _observer_required(request)
    observation = get_object_or_404(observations.visible_to(request.user), pk=pk)
    form = ObservationMergeForm(request.POST, candidates=_merge_candidates(request, observation))
    if form.is_valid():
        try:
            observations.merge(
                actor=request.user, observation=observation, into=form.cleaned_data["into"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reports are merged and their reporters told."))
            return redirect("watch:observation_detail", pk=form.cleaned_data["into"].pk)
    return _detail_page(request, observation, merge_form=form)


@manager_required
@require_GET
def observation_photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The photo, to those who may see the observation: it is personal data."""
    _observer_required(request)
    observation = get_object_or_404(
        Observation.objects.filter(permissions.visible_observations(request.user)).exclude(
            photo=""
        ),
        pk=pk,
    )
    extension = (observation.photo.name or "").rsplit(".", 1)[-1].lower()
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
def observations_csv(request: AuthenticatedRequest) -> HttpResponse:
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
