"""Every signed-in request reads its user through ``accounts.backends``: one query written
once, the whole row, the same user the ORM reads; an inactive or deleted user is not
signed in; a login, by password or through the test client, names one of these backends.
"""

from datetime import datetime

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import BACKEND_SESSION_KEY, get_user
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import AuthenticationBackend, ModelBackend
from accounts.models import User
from tests.conftest import client_for
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_login_by_password_names_one_of_ours(member):
    client = Client()

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    # Django's backend answers first: the login is the e-mail address (USERNAME_FIELD).
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.ModelBackend"
    assert client.get(reverse("notifications:inbox")).status_code == 200


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_user_read_is_the_whole_row_as_the_orm_reads_it(backend, member):
    member.last_login = datetime(2026, 12, 5, 8, 0).astimezone()
    member.save()

    with CaptureQueriesContext(connection) as queries:
        user = backend().get_user(member.pk)

    assert len(queries) == 1
    assert user is not None
    assert user.get_deferred_fields() == set()
    expected = User.objects.get(pk=member.pk)
    for field in User._meta.concrete_fields:
        value = getattr(user, field.attname)
        assert value == getattr(expected, field.attname), field.name
        assert type(value) is type(getattr(expected, field.attname)), field.name


def test_an_async_read_is_the_same_read(member):
    with CaptureQueriesContext(connection) as queries:
        user = async_to_sync(AuthenticationBackend().aget_user)(member.pk)

    assert user == member
    assert len(queries) == 1
    assert "SELECT * FROM accounts_user WHERE id" in queries[0]["sql"]


def test_a_signed_in_page_reads_the_user_once(member):
    client = client_for(member)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 200
    assert response.wsgi_request.user == member
    reads = [query["sql"] for query in queries if "FROM accounts_user WHERE id" in query["sql"]]
    assert len(reads) == 1


def test_an_inactive_user_is_not_signed_in(member):
    client = client_for(member)
    User.objects.filter(pk=member.pk).update(is_active=False)

    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous


def test_a_deleted_user_is_not_signed_in(rf):
    user = UserFactory()
    client = client_for(user)
    request = rf.get("/")
    request.session = client.session
    user.delete()

    assert get_user(request).is_anonymous
    assert ModelBackend().get_user(user.pk) is None
