"""The audit log: what officials and area contacts did, for the coordinators who oversee them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedRequest
from watch import permissions
from watch.areas.models import Municipality
from watch.audit import selectors
from watch.audit.forms import AuditFilterForm
from watch.decorators import manager_required

AUDIT_PAGE_SIZE = 50


@manager_required
@require_GET
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    """Coordinators see their municipalities' entries; admins every entry; others a 404."""
    if not permissions.can_see_audit_log(request.user):
        raise Http404
    municipalities = Municipality.objects.filter(
        permissions.administered_municipalities(request.user)
    )
    form = AuditFilterForm(request.GET or None, areas=Q(municipality__in=municipalities))
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_log(
        permissions.visible_audit_entries(request.user),
        action=filters.get("action", ""),
        area=filters.get("area"),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "watch/audit_log.html", {"form": form, "page": page})
