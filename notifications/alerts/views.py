"""Composing and following alerts: the composer, the preview and the delivery report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from config.ratelimit import rate_limited
from notifications import permissions, rendering
from notifications.alerts import planning, selectors, services
from notifications.alerts.forms import AlertForm
from notifications.alerts.models import Alert, AlertStatus, Kind
from notifications.tips.models import Tip
from watch.decorators import manager_required


def _composer(request: AuthenticatedRequest) -> None:
    if not permissions.can_compose(request.user):
        raise Http404


def _visible_alert(request: AuthenticatedRequest, pk: int) -> Alert:
    return get_object_or_404(selectors.visible_alerts(request.user), pk=pk)


@manager_required
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    _composer(request)
    return render(
        request, "notifications/alert_list.html", {"alerts": selectors.history(request.user)}
    )


@manager_required
@rate_limited("alert_create")
def alert_create(request: AuthenticatedRequest) -> HttpResponse:
    _composer(request)
    initial: dict[str, str | None] = {}
    if tip_id := request.GET.get("tip", ""):
        tip = Tip.objects.filter(pk=int(tip_id) if tip_id.isdigit() else 0).first()
        if tip:
            initial = {"kind": Kind.TIP, "severity": "info", "title": tip.title, "body": tip.body}
    if refers := request.GET.get("refers_to", ""):
        initial["refers_to"] = refers if refers.isdigit() else None
    return _alert_form(request, Alert(), initial)


@manager_required
def alert_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = _visible_alert(request, pk)
    if alert.status != AlertStatus.DRAFT or alert.author_id != request.user.pk:
        raise PermissionDenied
    return _alert_form(request, alert, {})


def _alert_form(request: AuthenticatedRequest, alert: Alert, initial: dict) -> HttpResponse:
    form = AlertForm(request.POST or None, instance=alert, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        alert = form.save()
        return redirect("notifications:alert_detail", pk=alert.pk)
    return render(request, "notifications/alert_form.html", {"form": form, "alert": alert})


@manager_required
def alert_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A draft's preview (who will get it, and how), or a sent alert's delivery report."""
    alert = _visible_alert(request, pk)
    context: dict[str, object] = {"alert": alert, "body_html": rendering.body_html(alert.body)}
    if alert.status == AlertStatus.DRAFT:
        context["preview"] = planning.preview(alert, timezone.now())
        context["can_send"] = permissions.can_send(request.user, alert)
    else:
        context.update(selectors.report(alert))
    return render(request, "notifications/alert_detail.html", context)


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
