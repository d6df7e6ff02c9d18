"""The permission matrix (tests/matrix.py): every URL of the project against every role.

The URL names come from the resolver itself, so a new view cannot be forgotten:
``test_every_url_is_in_the_matrix_or_excluded`` fails until the view has a row
in ``MATRIX`` or a commented rule in ``EXCLUDED_NAMES``. Each (URL, method, role) is
its own test with fresh fixtures, because POSTs change state.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern

from config.security import FRAMED_EMAIL_POLICY
from tests.inline_code import inline_code
from tests.matrix import (
    EXCLUDED_NAMES,
    EXCLUDED_UNNAMED,
    MATRIX,
    MEMBER_DATA,
    MFA_SETUP,
    OUTSIDERS,
    cases,
    client_as,
    outcome,
    post_data,
    walk,
)

pytestmark = pytest.mark.django_db


# --- Walking the resolver -------------------------------------------------------------------


def uncovered(resolver: URLResolver) -> list[str]:
    missing = []
    for route, name, view in walk(resolver):
        module = view.__module__ or ""
        rules = EXCLUDED_NAMES if name else EXCLUDED_UNNAMED
        key = name or route
        if name in MATRIX or any(
            key.startswith(prefix) and module.startswith(origin) for prefix, origin in rules
        ):
            continue
        missing.append(f"{name} /{route}")
    return missing


def test_every_url_is_in_the_matrix_or_excluded():
    assert uncovered(get_resolver()) == []


def test_every_row_is_a_url():
    names = {name for _route, name, _view in walk(get_resolver())}
    assert set(MATRIX) - names == set()


def test_a_new_view_is_noticed():
    def view(request):
        return HttpResponse()

    new = [path("reports/", include(([path("", view, name="overview")], "reports")))]
    resolver = URLResolver(RegexPattern(r"^/"), [*get_resolver().url_patterns, *new])

    assert uncovered(resolver) == [*uncovered(get_resolver()), "reports:overview /reports/"]


@pytest.mark.parametrize(("name", "method", "role"), list(cases()))
def test_permission_matrix(request, name, method, role):
    get = request.getfixturevalue
    get("area_member")  # Anna's data exists in every case, for the leak check below.
    row = MATRIX[name]
    url = reverse(name, args=row.get("args", lambda get: [])(get))
    client = client_as(role, get)

    data = post_data(row, get)
    if method == "GET":
        response = client.get(url, row.get("query"))
    elif row.get("json"):
        response = client.post(url, data, content_type="application/json")
    else:
        response = client.post(url, data)

    expected = {row[method][role]}
    if role == "coord_nomfa":
        role_matters = row[method]["coord"] != row[method]["member"]
        expected = {MFA_SETUP} if role_matters else {*expected, MFA_SETUP}
    assert outcome(response) in expected
    if role in OUTSIDERS and not response.streaming:
        body = response.content.decode()
        assert [leaked for leaked in MEMBER_DATA if leaked in body] == []
    # Every page rendered here must work under the Content-Security-Policy (no inline code),
    # but for an alert's e-mail framed on the composer's Check page: e-mail HTML needs
    # inline styles, so it has a sandboxed policy of its own that only this site may frame.
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        if name == "notifications:alert_email":
            assert response["Content-Security-Policy"] == FRAMED_EMAIL_POLICY
            assert response["X-Frame-Options"] == "SAMEORIGIN"
        else:
            assert inline_code(response.content.decode()) == []
