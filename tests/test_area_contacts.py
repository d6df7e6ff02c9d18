import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from watch.audit.models import AuditEntry
from watch.roles.models import AreaContact

pytestmark = pytest.mark.django_db


def test_coordinator_appoints_a_contact_who_is_told(
    coordinator, area, django_capture_on_commit_callbacks
):
    neighbour = UserFactory(email="ny@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(
            reverse("watch:area_contacts", args=[area.pk]), {"email": "NY@example.org"}
        )

    assert AreaContact.objects.filter(area=area, user=neighbour).exists()
    assert AuditEntry.objects.get().action == "contact_appointed"
    assert [m.to for m in mail.outbox] == [["ny@example.org"]]


def test_an_area_has_at_most_three_contacts(coordinator, area):
    client = client_for(coordinator)
    for n in range(3):
        UserFactory(email=f"c{n}@example.org")
        client.post(reverse("watch:area_contacts", args=[area.pk]), {"email": f"c{n}@example.org"})
    UserFactory(email="fourth@example.org")

    response = client.post(
        reverse("watch:area_contacts", args=[area.pk]), {"email": "fourth@example.org"}
    )

    assert "at most 3 contacts" in response.content.decode()
    assert AreaContact.objects.filter(area=area).count() == 3


def test_appointing_an_unknown_address_says_so(coordinator, area):
    response = client_for(coordinator).post(
        reverse("watch:area_contacts", args=[area.pk]), {"email": "nobody@example.org"}
    )

    assert "Nobody has an account" in response.content.decode()
    assert not AreaContact.objects.exists()


def test_a_new_main_contact_replaces_the_old_one(coordinator, area, area_contact):
    UserFactory(email="ny@example.org")

    client_for(coordinator).post(
        reverse("watch:area_contacts", args=[area.pk]),
        {"email": "ny@example.org", "is_main": "on"},
    )

    assert list(AreaContact.objects.filter(is_main=True).values_list("user__email", flat=True)) == [
        "ny@example.org"
    ]


def test_coordinator_removes_a_contact(coordinator, area, area_contact):
    contact = AreaContact.objects.get(user=area_contact)

    client_for(coordinator).post(reverse("watch:contact_remove", args=[contact.pk]))

    assert not AreaContact.objects.exists()
    assert AuditEntry.objects.get().action == "contact_removed"


def test_coordinator_of_another_municipality_cannot_remove_a_contact(
    other_coordinator, area_contact
):
    contact = AreaContact.objects.get(user=area_contact)

    response = client_for(other_coordinator).post(
        reverse("watch:contact_remove", args=[contact.pk])
    )

    assert response.status_code == 404
    assert AreaContact.objects.exists()
