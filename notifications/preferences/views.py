"""A member's choices, the code for their mobile number, and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from config.ratelimit import rate_limited
from notifications import rendering
from notifications.alerts.models import Kind
from notifications.preferences import selectors, services
from notifications.preferences.forms import PreferencesForm, VerificationCodeForm
from notifications.push import conf as push_conf
from notifications.push import selectors as push_selectors


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    settings_ = services.member_settings(request.user)
    form = PreferencesForm(
        request.POST or None,
        current=selectors.channels_by_kind(request.user),
        settings_=settings_,
        push_offered=bool(push_conf.vapid_public_key()),
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user=request.user, choices=form.choices())
        for field in form.SETTINGS_FIELDS:
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
            "push_devices": push_selectors.devices(request.user),
            "vapid_public_key": push_conf.vapid_public_key(),
        },
    )


@login_required
@require_POST
@rate_limited("phone_code")
def phone_send_code(request: AuthenticatedRequest) -> HttpResponse:
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
def phone_verify(request: AuthenticatedRequest) -> HttpResponse:
    form = VerificationCodeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["code"]))
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
