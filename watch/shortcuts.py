"""Helpers for the views of every feature, as ``django.shortcuts`` is for Django's."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from watch import permissions
from watch.areas.models import WatchArea
from watch.areas.selectors import area_with_municipality


def managed_area_or_404(request: HttpRequest, pk: int) -> WatchArea:
    """The area ``pk`` if the user may manage it; else 404, so its existence is not revealed.

    Read by its key and checked against the user's roles (``can_manage_area``, which
    ``manageable_areas`` filters by): a filter of the roles' ids took the ORM a third
    longer to build, on every management page. With its municipality's name but not its
    border, hundreds of points that no management page shows.
    """
    area = area_with_municipality(pk)
    if area is None or not permissions.can_manage_area(request.user, area):
        raise Http404
    return area


def show_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal, as messages to the person who asked."""
    for message in error.messages:
        messages.error(request, message)


def next_page(request: HttpRequest) -> str | None:
    """The page to return to (``next`` in the form or the address), if it is a path on
    this site: a start page acts on a request, and the person stays where they were.
    Only a path: ``redirect()`` would take a word for the name of a view."""
    url = request.POST.get("next") or request.GET.get("next")
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return None


def link_url(name: str) -> str:
    """``reverse(name)`` for a URL without arguments, reversed once per process: the
    header's dozen reverse() calls cost every signed-in page 0.3 ms (README "Signed-in
    pages, a fourth round")."""
    return _reversed(name, get_script_prefix())


@functools.cache
def _reversed(name: str, script_prefix: str) -> str:
    return reverse(name)


def pk_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose one argument is an ``<int:pk>``, for
    lists of many rows: reverse() cost an inbox page about 20 µs a line (README
    "Signed-in pages, a fifth round"); this is a string join on the parts reversed once
    per process."""
    head, tail = _pk_url_parts(name, get_script_prefix())
    return f"{head}{pk}{tail}"


# A pk no row has, so its digits mark the argument's place in the reversed URL.
_MARKER = 9_876_543_210_123_456_789


@functools.cache
def _pk_url_parts(name: str, script_prefix: str) -> tuple[str, str]:
    head, _marker, tail = reverse(name, args=[_MARKER]).rpartition(str(_MARKER))
    return head, tail
