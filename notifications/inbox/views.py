"""A member's inbox: their alerts, newest first, and each one's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from notifications import rendering
from notifications.alerts import sender
from notifications.alerts.models import Delivery
from notifications.inbox import selectors, services
from notifications.push.offline import kept_offline

# Each entry costs more template work than the rest of the page's header and footer
# together (README "Pages under load"); a page holds what a phone's screen shows twice.
INBOX_PAGE_SIZE = 20


@login_required
@kept_offline
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user.pk), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "now": timezone.now()})


@login_required
@kept_offline
def inbox_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One alert as the member received it; opening it marks it read."""
    delivery = get_object_or_404(Delivery.objects.select_related("alert"), pk=pk, user=request.user)
    services.mark_read(delivery)
    return render(
        request,
        "notifications/inbox_entry.html",
        {
            "alert": delivery.alert,
            "body_html": rendering.body_html(delivery.alert.body),
            "sent_to": sender.areas_line(delivery.alert),
        },
    )


@login_required
@require_POST
def inbox_read_all(request: AuthenticatedRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return redirect("notifications:inbox")
