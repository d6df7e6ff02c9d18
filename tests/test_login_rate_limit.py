import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_repeated_failed_logins_lock_the_account_out_even_with_the_right_password(client, member):
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": "wrong-password"}
        )
        assert "Too many failed login attempts" not in response.content.decode()

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_for_one_account_do_not_lock_out_another(client, member, admin_user):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})

    response = client.post(
        reverse("account_login"), {"login": admin_user.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
