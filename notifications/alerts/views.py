"""Composing and following alerts: the composer's steps, Check, and the delivery report.

The composer is four short steps over one saved draft: What (``alert_create`` writes a
new draft, ``alert_edit`` changes it), Who (``alert_who``), When (``alert_when``) and
Check (``alert_detail`` of a draft), where it is sent (``alert_send``). Each step is an
ordinary form that works without JavaScript; saving one goes on to the next, or back to
Check when the sender came from there to change something.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from config.ids import as_id
from config.ratelimit import rate_limited
from config.security import FRAMED_EMAIL_POLICY
from notifications import permissions, rendering
from notifications.alerts import composer, selectors, services
from notifications.alerts.forms import (
    AlertSearchForm,
    WhatForm,
    WhenForm,
    WhoForm,
    earlier_alerts,
    sendable_areas,
)
from notifications.alerts.models import TITLE_MAX_LENGTH, Alert, AlertStatus, Kind
from notifications.replies import selectors as reply_selectors
from notifications.tips.models import Tip
from official.police_events.permissions import startable_events
from watch.decorators import manager_required
from watch.permissions import roles_of

# A page of the list of alerts: a phone scrolls through it in a few screens.
ALERTS_PAGE_SIZE = 25
# A step's hidden field that says where to go after it: back to Check.
THEN = "then"
CHECK = "check"


def _composer(request: AuthenticatedRequest) -> None:
    if not permissions.can_compose(request.user):
        raise Http404


def _visible_alert(request: AuthenticatedRequest, pk: int) -> Alert:
    return get_object_or_404(selectors.visible_alerts(request.user), pk=pk)


def _own_draft(request: AuthenticatedRequest, pk: int) -> Alert:
    """A draft only its author changes; others who see it get 403, the rest 404."""
    alert = _visible_alert(request, pk)
    if alert.status != AlertStatus.DRAFT or alert.author_id != request.user.pk:
        raise PermissionDenied
    return alert


def _step_page(
    request: AuthenticatedRequest, template: str, alert: Alert, step: str, **context: Any
) -> HttpResponse:
    back_to_check = request.GET.get(THEN) == CHECK or request.POST.get(THEN) == CHECK
    context.update(
        alert=alert,
        steps=composer.steps(alert, step),
        back_to_check=back_to_check,
    )
    return render(request, template, context)


def _after_step(request: AuthenticatedRequest, alert: Alert, next_step: str) -> HttpResponse:
    if request.POST.get(THEN) == CHECK:
        return redirect("notifications:alert_detail", pk=alert.pk)
    return redirect(next_step, pk=alert.pk)


@manager_required
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    """The alerts an official may see, a page at a time, found by words of their titles:
    200 on one page were 13,800 px on a phone."""
    _composer(request)
    search_form = AlertSearchForm(request.GET)
    found = selectors.history(request.user, search=search_form.search())
    page = Paginator(found.values_list("pk", flat=True), ALERTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/alert_list.html",
        {
            "alerts": selectors.with_targets(selectors.with_progress(page.object_list)),
            "page": page,
            "search_form": search_form,
        },
    )


# --- Step 1: What ---------------------------------------------------------------------------


@manager_required
@rate_limited("alert_create")
def alert_create(request: AuthenticatedRequest) -> HttpResponse:
    """What, for a new draft; ``?tip=`` fills it from the tip library, ``?police_event=``
    from an event the police published, ``?refers_to=`` makes it a follow-up (an update
    or cancellation) of an earlier alert."""
    _composer(request)
    kinds = permissions.allowed_kinds(request.user)
    initial: dict[str, Any] = {"kind": kinds[0]}
    tip_id, refers = as_id(request.GET.get("tip", "")), as_id(request.GET.get("refers_to", ""))
    if tip := Tip.objects.filter(pk=tip_id).first() if tip_id is not None else None:
        initial.update(kind=Kind.TIP, severity="info", title=tip.title, body=tip.body)
    event_id = as_id(request.GET.get("police_event", ""))
    if event_id is not None and (
        event := startable_events(request.user).filter(pk=event_id).first()
    ):
        kind = Kind.POLICE_ALERT if roles_of(request.user).is_police else Kind.WARNING
        initial.update(
            kind=kind if kind in kinds else kinds[0],
            title=event.headline[:TITLE_MAX_LENGTH],
            body=composer.from_police_event(event),
            police_event=event.pk,
        )
    original = earlier_alerts(request.user).filter(pk=refers).first() if refers else None
    if original is not None:
        initial.update(refers_to=original.pk, severity=original.severity)
        if original.kind in kinds:
            initial["kind"] = original.kind
    return _what(request, Alert(), initial, original)


@manager_required
def alert_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What, for a draft that exists."""
    alert = _own_draft(request, pk)
    return _what(request, alert, {}, alert.refers_to)


def _what(
    request: AuthenticatedRequest, alert: Alert, initial: dict[str, Any], original: Alert | None
) -> HttpResponse:
    form = WhatForm(request.POST or None, instance=alert, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = alert.pk is None
        with transaction.atomic():
            alert = form.save()
            services.set_versions(alert=alert, versions=form.versions())
            if created:
                services.follow_up_target(alert=alert, actor=request.user)
        return _after_step(request, alert, "notifications:alert_who")
    length = composer.draft_sms_length(
        str(form["title"].value() or ""),
        str(form["body"].value() or ""),
        is_exercise=alert.is_exercise,
    )
    return _step_page(
        request,
        "notifications/compose_what.html",
        alert,
        "what",
        form=form,
        original=original,
        sms_length=length,
        sms_counter=composer.sms_counter(is_exercise=alert.is_exercise),
    )


# --- Step 2: Who ----------------------------------------------------------------------------


@manager_required
def alert_who(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who: areas clicked on the map (or ticked in the list), municipalities, or a shape
    drawn around an incident."""
    alert = _own_draft(request, pk)
    form = WhoForm(request.POST or None, instance=alert, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        return _after_step(request, alert, "notifications:alert_when")
    areas = list(sendable_areas(request.user))
    if not form.is_bound and len(areas) == 1 and not alert.target_areas.exists():
        # A contact of one area: it is the only choice, ticked already.
        form.initial["target_areas"] = [areas[0].pk]
    names = {area.municipality_id: area.municipality.name for area in areas}
    return _step_page(
        request,
        "notifications/compose_who.html",
        alert,
        "who",
        form=form,
        areas_map=composer.map_areas(areas, names),
    )


# --- Step 3: When ---------------------------------------------------------------------------


@manager_required
def alert_when(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """When: now or at a time, how long it holds, public, an exercise, a follow-up."""
    alert = _own_draft(request, pk)
    form = WhenForm(request.POST or None, instance=alert, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("notifications:alert_detail", pk=alert.pk)
    return _step_page(request, "notifications/compose_when.html", alert, "when", form=form)


# --- Step 4: Check (a draft's page), and a sent alert's report ----------------------------


@manager_required
def alert_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A draft's Check step (what members will get, where, and how many), or a sent
    alert's delivery report."""
    alert = _visible_alert(request, pk)
    body_html = rendering.body_html(alert.body)
    if alert.status == AlertStatus.DRAFT:
        context = composer.check(alert, request.user, timezone.now())
        context.update(
            alert=alert,
            body_html=body_html,
            steps=composer.steps(alert, "check"),
            can_send=permissions.can_send(request.user, alert),
            can_change=alert.author_id == request.user.pk,
        )
        return render(request, "notifications/compose_check.html", context)
    context = {
        "alert": alert,
        "body_html": body_html,
        # Only those who answer them see that members replied (notifications.replies).
        "replies": reply_selectors.counts(alert)
        if reply_selectors.answerable(request.user).filter(pk=alert.pk).exists()
        else None,
        "follow_ups": list(selectors.follow_ups(alert)),
        **selectors.report(alert),
    }
    return render(request, "notifications/alert_detail.html", context)


# The e-mail is shown in an <iframe> of the Check page rather than in the page itself:
# e-mail HTML carries inline styles, which the site's policy forbids, and must look as
# it will in a mail client, not restyled by the site's stylesheet. So it has a URL of
# its own whose response has its own policy (config.security.FRAMED_EMAIL_POLICY:
# sandboxed, nothing loads or runs, only this site may frame it).
@xframe_options_sameorigin
@manager_required
def alert_email(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Just the alert's e-mail HTML, as members will get it (for the Check page's frame)."""
    alert = _visible_alert(request, pk)
    html = composer.email_html(composer.stand_in_delivery(alert, request.user))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = FRAMED_EMAIL_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


@manager_required
@require_POST
@rate_limited("alert_send")
def alert_send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = _visible_alert(request, pk)
    try:
        services.send_alert(actor=request.user, alert=alert)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if alert.status == AlertStatus.SCHEDULED:
            messages.success(request, _("The alert is scheduled."))
        else:
            messages.success(request, _("The alert is being sent."))
    return redirect("notifications:alert_detail", pk=alert.pk)


@manager_required
@require_POST
def alert_discard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = _own_draft(request, pk)
    services.discard_draft(actor=request.user, alert=alert)
    messages.success(request, _("The draft has been deleted."))
    return redirect("notifications:alert_list")


@manager_required
@require_POST
def alert_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = _visible_alert(request, pk)
    try:
        services.cancel_alert(actor=request.user, alert=alert)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The alert has been cancelled."))
    return redirect("notifications:alert_detail", pk=alert.pk)
