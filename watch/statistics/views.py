"""The statistics dashboard of a municipality: officials of it and admins.

Aggregates only — no names, addresses or texts — so the police see it too: it shows
how far their alerts reach.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedRequest
from watch import permissions
from watch.areas.models import Municipality
from watch.decorators import manager_required
from watch.spreadsheets import csv_response
from watch.statistics import figures


def _municipalities(request: AuthenticatedRequest) -> QuerySet[Municipality]:
    if not permissions.can_see_statistics(request.user):
        raise Http404
    return Municipality.objects.filter(permissions.administered_municipalities(request.user))


@manager_required
@require_GET
def statistics_index(request: AuthenticatedRequest) -> HttpResponse:
    municipalities = list(_municipalities(request))
    if len(municipalities) == 1:
        return redirect("watch:statistics", pk=municipalities[0].pk)
    return render(request, "watch/statistics_index.html", {"municipalities": municipalities})


@manager_required
@require_GET
def statistics_dashboard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    municipality = get_object_or_404(_municipalities(request), pk=pk)
    return render(
        request,
        "watch/statistics.html",
        {"municipality": municipality, "figures": figures.dashboard(municipality)},
    )


@manager_required
@require_GET
def statistics_csv(request: AuthenticatedRequest, pk: int, slug: str) -> HttpResponse:
    municipality = get_object_or_404(_municipalities(request), pk=pk)
    if slug not in figures.FIGURES:
        raise Http404
    figure = figures.figure(municipality, slug)
    return csv_response(
        filename=f"{municipality.slug}-{slug}.csv", header=figure.headers, rows=figure.rows
    )
