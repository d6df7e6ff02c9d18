"""Views of the tip library: thin wrappers around notifications.tips.

The library is for officials and admins; to anyone else it does not exist (404).
Police see it and send its tips; adding and editing tips is for coordinators and
admins, and a police officer who tries gets 403 — the page is no secret to them,
only the change is refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from notifications import permissions
from notifications.tips import selectors
from notifications.tips import services as tips
from notifications.tips.forms import THEME_LIST_ID, ScheduleForm, TipForm
from notifications.tips.models import Tip
from watch.decorators import manager_required


def _library(request: AuthenticatedRequest) -> None:
    if not permissions.can_use_tip_library(request.user):
        raise Http404


def _curator(request: AuthenticatedRequest) -> None:
    _library(request)
    if not permissions.can_curate_tips(request.user):
        raise PermissionDenied


def _save(request: AuthenticatedRequest, form: TipForm, tip: Tip | None) -> Tip | None:
    """The saved tip, or None with the service's errors added to ``form``."""
    if not form.is_valid():
        return None
    try:
        return tips.save_tip(actor=request.user, tip=tip, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@manager_required
def tip_list(request: AuthenticatedRequest) -> HttpResponse:
    """The library by theme, each tip with its send links and yearly schedules."""
    _library(request)
    user = request.user
    can_curate = permissions.can_curate_tips(user)
    form = None
    if request.method == "POST":
        _curator(request)
        form = TipForm(request.POST)
        if tip := _save(request, form, None):
            messages.success(
                request, _("The tip “%(title)s” is in the library.") % {"title": tip.title}
            )
            return redirect("notifications:tip_list")
    elif can_curate:
        form = TipForm()
    return render(
        request,
        "notifications/tips/tip_list.html",
        {
            "tips": selectors.library(user),
            "form": form,
            "can_curate": can_curate,
            "can_schedule": permissions.can_schedule_tips(user),
            "themes": selectors.themes(),
            "theme_list_id": THEME_LIST_ID,
        },
    )


@manager_required
def tip_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _curator(request)
    tip = get_object_or_404(Tip, pk=pk)
    form = TipForm.for_tip(tip, request.POST if request.method == "POST" else None)
    if request.method == "POST" and _save(request, form, tip):
        messages.success(request, _("The tip has been saved."))
        return redirect("notifications:tip_list")
    return render(
        request,
        "notifications/tips/tip_form.html",
        {"form": form, "tip": tip, "themes": selectors.themes(), "theme_list_id": THEME_LIST_ID},
    )


@manager_required
def tip_schedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Send a tip every year on a date to chosen municipalities."""
    _library(request)
    if not permissions.can_schedule_tips(request.user):
        raise PermissionDenied
    tip = get_object_or_404(Tip, pk=pk)
    form = ScheduleForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = tips.schedule_yearly(actor=request.user, tip=tip, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("“%(title)s” will be sent every year on %(date)s at 09:00.")
                % {"title": tip.title, "date": tips.date_label(schedule.month, schedule.day)},
            )
            return redirect("notifications:tip_list")
    return render(request, "notifications/tips/tip_schedule.html", {"form": form, "tip": tip})


@manager_required
@require_POST
def tip_unschedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _library(request)
    schedule = get_object_or_404(
        selectors.visible_schedules(request.user).select_related("tip"), pk=pk
    )
    tips.unschedule(actor=request.user, schedule=schedule)
    messages.success(
        request,
        _("“%(title)s” will no longer be sent every year.") % {"title": schedule.tip.title},
    )
    return redirect("notifications:tip_list")
