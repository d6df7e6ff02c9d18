"""A municipality's public page, and its editing by the municipality's coordinators.

The page is public. Editing is for the municipality's coordinators and admins: to a
police officer of the municipality the edit pages answer 403 (the page is theirs
to read and no secret to them; the municipality publishes it), to everyone else 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedRequest
from notifications.public import selectors as public_selectors
from official.crisis_news import selectors as crisis_news
from official.police_events import selectors as police_events
from watch import permissions
from watch.areas.models import Municipality, WatchArea
from watch.decorators import manager_required
from watch.municipality_page import services
from watch.municipality_page.forms import (
    ContactFormSet,
    NewPromiseForm,
    PageTextsForm,
    PromiseIntroductionForm,
    PromiseItemFormSet,
)
from watch.municipality_page.models import CitizenPromise

PUBLIC_ALERTS_SHOWN = 10


@require_GET
def municipality(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Municipality, slug=slug)
    now = timezone.now()
    return render(
        request,
        "watch/municipality.html",
        {
            "municipality": place,
            "contacts": list(place.contacts.all()),
            "promise": services.current_promise(place, timezone.localdate()),
            "areas": list(WatchArea.objects.active().filter(municipality=place).order_by("name")),
            "alerts": list(
                public_selectors.current_public_alerts(now).filter(municipalities=place)[
                    :PUBLIC_ALERTS_SHOWN
                ]
            ),
            "can_edit": permissions.can_edit_municipality_page(request.user, place),
            "police_events": police_events.latest([place.pk]),
            "crisis_news": crisis_news.recent([place.pk]),
        },
    )


def _editable(request: AuthenticatedRequest, slug: str) -> Municipality:
    place = get_object_or_404(Municipality, slug=slug)
    if permissions.can_edit_municipality_page(request.user, place):
        return place
    if place.pk in permissions.roles_of(request.user).municipality_ids:
        raise PermissionDenied
    raise Http404


def _form_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _saved(request: HttpRequest, changed: bool) -> None:
    if changed:
        messages.success(request, _("The page has been updated."))
    else:
        messages.info(request, _("Nothing was changed."))


@manager_required
def municipality_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The page's texts and its contact people, on one form."""
    place = _editable(request, slug)
    data = request.POST if request.method == "POST" else None
    texts = PageTextsForm(data, instance=place)
    contacts = ContactFormSet(data, queryset=place.contacts.all(), prefix="contacts")
    if data is not None and texts.is_valid() and contacts.is_valid():
        try:
            changed = services.save_page(
                actor=request.user, municipality=place, texts=texts, contacts=contacts
            )
        except ValidationError as error:
            _form_error(request, error)
        else:
            _saved(request, changed)
            return redirect("watch:municipality", slug=place.slug)
    return render(
        request,
        "watch/municipality_edit.html",
        {
            "municipality": place,
            "form": texts,
            "contacts": contacts,
            "promises": place.citizen_promises.order_by("-year"),
        },
    )


@manager_required
def promise_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place = _editable(request, slug)
    form = NewPromiseForm(request.POST or None, municipality=place)
    if request.method == "POST" and form.is_valid():
        try:
            promise = services.create_promise(
                actor=request.user,
                municipality=place,
                year=form.cleaned_data["year"],
                introduction=form.cleaned_data["introduction"],
            )
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request,
                _("The citizen promise for %(year)d is created. Add what it promises.")
                % {"year": promise.year},
            )
            return redirect("watch:promise_edit", slug=place.slug, year=promise.year)
    return render(request, "watch/promise_create.html", {"municipality": place, "form": form})


@manager_required
def promise_edit(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    """A year's introduction and its items: add, change, reorder, remove, set each status."""
    place = _editable(request, slug)
    promise = get_object_or_404(
        CitizenPromise.objects.select_related("municipality"), municipality=place, year=year
    )
    data = request.POST if request.method == "POST" else None
    introduction = PromiseIntroductionForm(data, instance=promise)
    # New rows are numbered after the last item, so an added promise comes last by default.
    last = promise.items.aggregate(last=Max("position"))["last"] or 0
    items = PromiseItemFormSet(
        data,
        queryset=promise.items.all(),
        prefix="items",
        initial=[{"position": last + n} for n in range(1, PromiseItemFormSet.extra + 1)],
    )
    if data is not None and introduction.is_valid() and items.is_valid():
        changed = services.save_promise(
            actor=request.user, promise=promise, introduction=introduction, items=items
        )
        _saved(request, changed)
        return redirect("watch:promise_edit", slug=place.slug, year=promise.year)
    return render(
        request,
        "watch/promise_edit.html",
        {"municipality": place, "promise": promise, "form": introduction, "items": items},
    )
