"""A phone number is typed with ASCII digits, spaces, hyphens, parentheses and one leading
+ only: the profile refuses full-width or Arabic-Indic digits, an emoji, a NUL or "ext 5"
(phonenumbers would read them all and keep a number the person never saw)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.phone import normalise_mobile_number

pytestmark = pytest.mark.django_db

MESSAGE = "Use only digits, spaces, hyphens and brackets"


@pytest.mark.parametrize(
    "typed",
    [
        "０７０-１２３ ４５ ６７",  # noqa: RUF001 - full-width digits, the point of the test
        "٠٧٠١٢٣٤٥٦٧",
        "📱070-174 06 05",
        "070-174 06 05\x00",
        "070-174 06 05 ext 5",
        "++46 70 174 06 05",
        "070+174 06 05",
        "070.123.45.67",
    ],
)
def test_other_characters_are_refused(typed):
    with pytest.raises(ValidationError) as refused:
        normalise_mobile_number(typed)

    assert refused.value.code == "characters"


@pytest.mark.parametrize(
    "typed",
    ["070-174 06 05", "0701740605", "+46 70 174 06 05", "+46 (0)70-174 06 05", " 070 174 06 05 "],
)
def test_what_people_type_is_read(typed):
    assert normalise_mobile_number(typed) == "+46701740605"


def test_the_profile_saves_nothing_it_refuses(member, member_client):
    response = member_client.post(
        reverse("accounts:profile"),
        {"full_name": member.full_name, "phone": "０７０-１２３ ４５ ６７", "language": "en"},  # noqa: RUF001
    )

    assert MESSAGE in response.content.decode()
    member.refresh_from_db()
    assert member.phone == ""
