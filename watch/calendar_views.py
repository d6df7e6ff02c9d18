"""Views of meetings, the area calendar feed and away notices: thin wrappers around
watch.meetings and watch.away.

Meetings are managed from the area's management page, so an area or meeting the
user may not manage is a 404 (as everywhere under /manage/); someone who may
manage the area but not run its meetings (a police officer) gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.ratelimit import rate_limited
from watch import away, ical, meetings, permissions, selectors
from watch.calendar_forms import AwayNoticeForm, MeetingChangeForm, MeetingForm
from watch.models import AreaStatus, AwayNotice, Meeting, WatchArea
from watch.views import manager_required


def _schedulable_area(request: HttpRequest, pk: int) -> WatchArea:
    area = get_object_or_404(
        WatchArea.objects.filter(permissions.manageable_areas(request.user)).select_related(
            "municipality"
        ),
        pk=pk,
    )
    if not permissions.can_schedule_meeting(request.user, area):
        raise PermissionDenied
    return area


def _schedulable_meeting(request: HttpRequest, pk: int) -> Meeting:
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
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    area = _schedulable_area(request, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meetings.create_meeting(actor=request.user, area=area, details=form.details())
        messages.success(
            request, _saved_message(area, _("The meeting has been saved and the members invited."))
        )
        return redirect("watch:manage_area", pk=area.pk)
    return render(request, "watch/meeting_form.html", {"form": form, "area": area})


@manager_required
@rate_limited("alert_send")  # saving a meeting invites the whole area
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
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
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
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
def away_notices(request: HttpRequest) -> HttpResponse:
    household = selectors.household_of(request.user)
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
def away_notice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        AwayNotice.objects.select_related("household"), pk=pk, household__members__user=request.user
    )
    away.delete_notice(user=request.user, notice=notice)
    messages.success(request, _("The away notice has been deleted."))
    return redirect("watch:away_notices")
