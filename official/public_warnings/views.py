"""A public warning's own page, and forwarding it to members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from config.ratelimit import rate_limited
from official.public_warnings import permissions, services
from official.public_warnings.models import PublicWarning
from watch.decorators import manager_required


@require_GET
def public_warning(request: HttpRequest, pk: int) -> HttpResponse:
    warning = get_object_or_404(PublicWarning.objects.prefetch_related("municipalities"), pk=pk)
    forwardable = (
        permissions.forwardable_municipalities(request.user, warning)
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "official/public_warning.html",
        {
            "warning": warning,
            "forward_to": [m for m in warning.municipalities.all() if m.pk in forwardable],
        },
    )


@require_POST
@manager_required
@rate_limited("alert_create")
def forward(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    warning = get_object_or_404(PublicWarning, pk=pk)
    try:
        alert = services.forward(actor=request.user, warning=warning)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("official:public_warning", pk=warning.pk)
    messages.success(request, _("The warning is on its way to the members."))
    return redirect(alert.get_absolute_url())
