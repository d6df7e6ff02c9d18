import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROFILE = {"full_name": "Maja Medlem", "phone": "", "language": "en"}


def test_profile_saves_a_swedish_mobile_number_in_e164(member, member_client):
    response = member_client.post(
        reverse("accounts:profile"), {**PROFILE, "phone": "070-174 06 05"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "+46701740605"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("08-123 456 78", "Enter a mobile number: SMS cannot be sent to a landline."),
        ("not a number", "Use only digits, spaces, hyphens and brackets"),
        ("( - )", "Enter a phone number, for example 070-174 06 05"),
        ("070-12", "That phone number does not exist."),
        ("+46 70 174 06 05 89 10 11 12 13 14 15 16", "That is too long to be a phone number."),
    ],
)
def test_profile_rejects_what_is_not_a_mobile_number_and_saves_nothing(
    member, member_client, phone, message
):
    member.phone = "+46701740606"
    member.save()

    response = member_client.post(
        reverse("accounts:profile"), {**PROFILE, "full_name": "Changed", "phone": phone}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.phone == "+46701740606"
    assert member.full_name == "Maja Medlem"


def test_profile_shows_the_saved_number_as_people_read_it_and_saves_it_back(member, member_client):
    member.phone = "+46701740606"
    member.save(update_fields=["phone"])

    page = member_client.get(reverse("accounts:profile")).content.decode()

    assert 'value="+46 70 174 06 06"' in page
    assert 'value="+46701740606"' not in page
    member_client.post(reverse("accounts:profile"), {**PROFILE, "phone": "+46 70 174 06 06"})
    member.refresh_from_db()
    assert member.phone == "+46701740606"


def test_a_refused_number_is_shown_back_as_typed(member, member_client):
    response = member_client.post(reverse("accounts:profile"), {**PROFILE, "phone": "+46 70-12"})

    assert 'value="+46 70-12"' in response.content.decode()


def test_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
