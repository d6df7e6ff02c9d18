"""A member's inbox: their alerts, newest first, and each one's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from notifications import rendering
from notifications.alerts import selectors as alert_selectors
from notifications.alerts import sender
from notifications.alerts.models import Delivery
from notifications.answers import selectors as answer_selectors
from notifications.inbox import selectors, services
from notifications.push.offline import kept_offline

# Each entry costs more template work than the rest of the page's header and footer
# together (docs/performance.md, "The first round"); a page holds what a phone's screen shows twice.
INBOX_PAGE_SIZE = 20


@login_required
@kept_offline
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    counts = selectors.message_counts_for(request, request.user)
    page = Paginator(
        selectors.InboxLines(request.user.pk, counts.alerts), INBOX_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    # Answers to the member's replies and reports, above the alerts, on the first page.
    first = page.number == 1
    notices = answer_selectors.recent(request.user.pk) if first and counts.notices else []
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "entries": page.object_list,
            "notices": notices,
        },
    )


@login_required
@kept_offline
def inbox_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One alert as the member received it; opening it marks it read."""
    delivery = get_object_or_404(Delivery.objects.select_related("alert"), pk=pk, user=request.user)
    services.mark_read(delivery)
    text = alert_selectors.text_in(delivery.alert, delivery.language)
    return render(
        request,
        "notifications/inbox_entry.html",
        {
            "alert": delivery.alert,
            "text": text,
            "body_html": rendering.body_html(text.body),
            "sent_to": sender.areas_line(delivery.alert),
            # The time its line in the inbox shows.
            "received_at": delivery.created_at,
            "follow_ups": selectors.follow_ups(delivery, request.user),
        },
    )


@login_required
@require_POST
def inbox_read_all(request: AuthenticatedRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return redirect("notifications:inbox")
