"""Views of the notifications app: composing and following alerts, the inbox, choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.ratelimit import rate_limited
from notifications import permissions, rendering, selectors, services
from notifications.forms import AlertForm, PreferencesForm, VerificationCodeForm
from notifications.models import (
    Alert,
    AlertStatus,
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    Preference,
    Tip,
)
from watch.decorators import manager_required

REPORT_FAILURES_SHOWN = 200
INBOX_PAGE_SIZE = 50


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
        context["preview"] = selectors.preview(alert, timezone.now())
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


# --- Members -------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user.pk), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "now": timezone.now()})


@login_required
def inbox_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One alert as the member received it; opening it marks it read."""
    delivery = get_object_or_404(Delivery.objects.select_related("alert"), pk=pk, user=request.user)
    if delivery.channel == Channel.INAPP and delivery.read_at is None:
        Delivery.objects.filter(pk=delivery.pk).update(read_at=timezone.now())
    return render(
        request,
        "notifications/inbox_entry.html",
        {"alert": delivery.alert, "body_html": rendering.body_html(delivery.alert.body)},
    )


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    selectors.inbox(request.user.pk).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:inbox")


def _current_preferences(request: HttpRequest) -> dict[str, dict[str, bool]]:
    current = {kind: dict(selectors.DEFAULT_CHANNELS) for kind in Kind.values}
    for preference in Preference.objects.filter(user=request.user):
        current[preference.kind] = {
            Channel.EMAIL: preference.email,
            Channel.SMS: preference.sms,
            Channel.INAPP: preference.inapp,
        }
    current[Kind.POLICE_ALERT][Channel.INAPP] = True
    return current


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    settings_ = services.member_settings(request.user)
    form = PreferencesForm(
        request.POST or None, current=_current_preferences(request), settings_=settings_
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user=request.user, choices=form.choices())
        for field in ("quiet_hours_enabled", "quiet_hours_start", "quiet_hours_end"):
            setattr(settings_, field, form.cleaned_data[field])
        settings_.save()
        messages.success(request, _("Your choices have been saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "settings": settings_,
            "phone_verified": bool(request.user.phone)
            and settings_.verified_phone == request.user.phone,
            "code_form": VerificationCodeForm(),
        },
    )


@login_required
@require_POST
@rate_limited("phone_code")
def phone_send_code(request: HttpRequest) -> HttpResponse:
    try:
        services.send_phone_verification(user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("We have sent a code to %(phone)s.") % {"phone": request.user.phone_display}
        )
    return redirect("notifications:preferences")


@login_required
@require_POST
def phone_verify(request: HttpRequest) -> HttpResponse:
    form = VerificationCodeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["code"])
        services.verify_phone(user=request.user, code=form.cleaned_data["code"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your mobile number is verified."))
    return redirect("notifications:preferences")


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from a kind's e-mails; the signed token is the authority."""
    try:
        user_id, kind = rendering.read_unsubscribe_token(token)
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    label = dict(Kind.choices).get(kind, kind)
    if request.method == "POST":
        try:
            services.unsubscribe(user_id=user_id, kind=kind)
        except ValidationError:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "notifications/unsubscribe.html", {"done": True, "kind": label})
    return render(request, "notifications/unsubscribe.html", {"kind": label})
