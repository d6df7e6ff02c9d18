"""Public alerts for everyone: one alert's page and its CAP document.

Only public alerts exist here; a draft, a members-only alert or one not yet sent is
a 404 to everyone, whoever is signed in (the sender has the alert's report page).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from notifications import rendering
from notifications.alerts import selectors as alert_selectors
from notifications.preferences import selectors as preference_selectors
from notifications.public import cap, selectors


@require_GET
def public_alert(request: HttpRequest, pk: int) -> HttpResponse:
    """The alert in every language it has: a signed-in member's own first."""
    alert = get_object_or_404(
        selectors.public_alerts()
        .select_related("refers_to")
        .prefetch_related("areas__municipality", "versions"),
        pk=pk,
    )
    areas = list(alert.areas.all())
    texts = alert_selectors.texts(alert)
    if request.user.is_authenticated:
        chosen = preference_selectors.alert_language(request.user)
        texts.sort(key=lambda text: text.language.code != chosen)
    return render(
        request,
        "notifications/public_alert.html",
        {
            "alert": alert,
            "original": selectors.public_original(alert),
            "cancelled_by": selectors.public_cancellation(alert),
            # Withdrawn to members only: the public page says so, without naming it.
            "withdrawn": alert_selectors.withdrawals(alert).exists(),
            "text": texts[0],
            "body_html": rendering.body_html(texts[0].body),
            "others": [(text, rendering.body_html(text.body)) for text in texts[1:]],
            "sent": selectors.published_at(alert),
            "areas": areas,
            "municipalities": sorted(
                {area.municipality for area in areas}, key=lambda municipality: municipality.name
            ),
        },
    )


@require_GET
def alert_cap(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(cap.document_queryset(), pk=pk)
    return HttpResponse(cap.document(alert), content_type=cap.CONTENT_TYPE)
