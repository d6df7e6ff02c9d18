"""Composing and following alerts: the composer, the preview and the delivery report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.ratelimit import rate_limited
from notifications import permissions, rendering
from notifications.alerts import planning, services
from notifications.alerts.forms import AlertForm
from notifications.alerts.models import Alert, AlertStatus, Channel, Kind
from notifications.outbox.models import DeliveryStatus
from notifications.tips.models import Tip
from watch.decorators import manager_required

REPORT_FAILURES_SHOWN = 200


def _composer(request: HttpRequest) -> None:
    if not permissions.can_compose(request.user):
        raise Http404


def _visible_alert(request: HttpRequest, pk: int) -> Alert:
    return get_object_or_404(
        Alert.objects.filter(permissions.visible_alerts(request.user)).distinct(), pk=pk
    )


@manager_required
def alert_list(request: HttpRequest) -> HttpResponse:
    _composer(request)
    alerts = (
        Alert.objects.filter(
            pk__in=Alert.objects.filter(permissions.visible_alerts(request.user)).values("pk")
        )
        .select_related("author")
        .annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        )
        .order_by("-created_at")[:200]
    )
    return render(request, "notifications/alert_list.html", {"alerts": alerts})


@manager_required
@rate_limited("alert_create")
def alert_create(request: HttpRequest) -> HttpResponse:
    _composer(request)
    initial = {}
    if tip_id := request.GET.get("tip", ""):
        tip = Tip.objects.filter(pk=int(tip_id) if tip_id.isdigit() else 0).first()
        if tip:
            initial = {"kind": Kind.TIP, "severity": "info", "title": tip.title, "body": tip.body}
    if refers := request.GET.get("refers_to", ""):
        initial["refers_to"] = refers if refers.isdigit() else None
    return _alert_form(request, Alert(), initial)


@manager_required
def alert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _visible_alert(request, pk)
    if alert.status != AlertStatus.DRAFT or alert.author_id != request.user.pk:
        raise PermissionDenied
    return _alert_form(request, alert, {})


def _alert_form(request: HttpRequest, alert: Alert, initial: dict) -> HttpResponse:
    form = AlertForm(request.POST or None, instance=alert, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        alert = form.save()
        return redirect("notifications:alert_detail", pk=alert.pk)
    return render(request, "notifications/alert_form.html", {"form": form, "alert": alert})


@manager_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's preview (who will get it, and how), or a sent alert's delivery report."""
    alert = _visible_alert(request, pk)
    context: dict[str, object] = {"alert": alert, "body_html": rendering.body_html(alert.body)}
    if alert.status == AlertStatus.DRAFT:
        context["preview"] = planning.preview(alert, timezone.now())
        context["can_send"] = permissions.can_send(request.user, alert)
    else:
        context.update(_report(alert))
    return render(request, "notifications/alert_detail.html", context)


def _report(alert: Alert) -> dict[str, object]:
    by_channel: dict[str, dict[str, int]] = {c: {} for c in Channel.values}
    for row in alert.deliveries.values("channel", "status").annotate(n=Count("pk")):
        by_channel[row["channel"]][row["status"]] = row["n"]
    by_area = (
        alert.deliveries.values("area__name")
        .annotate(
            members=Count("user", distinct=True),
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        )
        .order_by("area__name")
    )
    failures = (
        alert.deliveries.filter(status=DeliveryStatus.FAILED)
        .select_related("user")
        .order_by("pk")[:REPORT_FAILURES_SHOWN]
    )
    pending = alert.deliveries.filter(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).exists()
    return {
        "by_channel": [(label, by_channel[channel]) for channel, label in Channel.choices],
        "statuses": DeliveryStatus.choices,
        "by_area": by_area,
        "failures": failures,
        "refresh": alert.status == AlertStatus.SENDING or pending,
    }


@manager_required
@require_POST
@rate_limited("alert_send")
def alert_send(request: HttpRequest, pk: int) -> HttpResponse:
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
def alert_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _visible_alert(request, pk)
    try:
        services.cancel_alert(actor=request.user, alert=alert)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The alert has been cancelled."))
    return redirect("notifications:alert_detail", pk=alert.pk)
