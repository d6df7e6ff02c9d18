"""Who an alert reaches: areas picked, whole municipalities, or a shape around an incident."""

import json

import pytest
from django.urls import reverse

from notifications import permissions
from notifications.alerts.models import Alert
from notifications.alerts.targeting import resolve_areas
from tests.conftest import client_for, compose
from tests.factories import WatchAreaFactory, alert_for, square
from watch.areas.models import Municipality, WatchArea

pytestmark = pytest.mark.django_db


def test_areas_picked_by_hand(police, area, area_b):
    response = compose(client_for(police), target_areas=[area.pk])

    alert = Alert.objects.get()
    assert response.url == reverse("notifications:alert_detail", args=[alert.pk])
    assert (alert.status, alert.author) == ("draft", police)
    assert resolve_areas(alert) == [area]


def test_all_active_areas_of_a_municipality(police, municipality, area, area_b):
    area_b.status = "paused"
    area_b.save()

    compose(
        client_for(police), target_kind="municipalities", target_municipalities=[municipality.pk]
    )

    assert resolve_areas(Alert.objects.get()) == [area]


def test_an_administrator_may_send_to_a_whole_municipality(admin_user, municipality, area):
    # Excluding with an empty filter excluded nothing: an administrator's alert to a
    # municipality was refused at Send.
    alert = alert_for(admin_user, area, target_kind="municipalities")
    alert.target_municipalities.set([municipality])

    assert permissions.can_send(admin_user, alert)


def test_areas_intersecting_a_drawn_polygon_including_one_that_only_touches(police, municipality):
    inside = WatchAreaFactory(municipality=municipality, boundary=square(13.90, 58.90, 0.01))
    touching = WatchAreaFactory(municipality=municipality, boundary=square(13.92, 58.90, 0.01))
    WatchAreaFactory(municipality=municipality, boundary=square(13.95, 58.90, 0.01))
    incident = square(13.905, 58.905, 0.015)  # its east edge is touching's west edge

    compose(client_for(police), target_kind="shape", shape=json.dumps(incident))

    assert {a.pk for a in resolve_areas(Alert.objects.get())} == {inside.pk, touching.pk}


def test_areas_within_a_circle_around_an_incident(police, municipality):
    near = WatchAreaFactory(municipality=municipality, boundary=square(13.90, 58.90, 0.004))
    WatchAreaFactory(municipality=municipality, boundary=square(14.10, 58.90, 0.004))

    compose(
        client_for(police),
        target_kind="shape",
        circle_longitude="13.905",
        circle_latitude="58.905",
        circle_radius="800",
    )

    alert = Alert.objects.get()
    assert alert.target_shape["type"] == "Polygon"
    assert [a.pk for a in resolve_areas(alert)] == [near.pk]


def test_a_shape_never_reaches_another_municipality(police, municipality, other_municipality):
    ours = WatchAreaFactory(municipality=municipality, boundary=square(13.90, 58.90, 0.004))
    WatchAreaFactory(municipality=other_municipality, boundary=square(13.905, 58.895, 0.004))

    compose(client_for(police), target_kind="shape", shape=json.dumps(square(13.89, 58.89, 0.03)))

    assert resolve_areas(Alert.objects.get()) == [ours]


def targets() -> list[tuple[str, str, list[WatchArea], list[Municipality]]]:
    """Each alert's kind and target as saved, oldest first."""
    return [
        (
            alert.kind,
            alert.target_kind,
            list(alert.target_areas.all()),
            list(alert.target_municipalities.all()),
        )
        for alert in Alert.objects.order_by("pk")
    ]


def test_police_cannot_pick_areas_of_another_municipality(police, area_c):
    response = compose(client_for(police), target_areas=[area_c.pk])

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    # The draft What saved has no target: the Who step wrote nothing.
    assert targets() == [("police_alert", "areas", [], [])]


def test_area_contact_sends_information_to_their_own_area_only(area_contact, area, area_b):
    client = client_for(area_contact)

    refused_kind = compose(client, target_areas=[area.pk])
    refused_area = compose(client, kind="information", target_areas=[area_b.pk])
    refused_target = compose(client, kind="information", target_kind="municipalities")
    accepted = compose(client, kind="information", target_areas=[area.pk])

    assert refused_kind.status_code == refused_area.status_code == refused_target.status_code == 200
    assert accepted.status_code == 302
    # No police alert; the two refused targets left their drafts without one.
    assert targets() == [
        ("information", "areas", [], []),
        ("information", "areas", [], []),
        ("information", "areas", [area], []),
    ]


def test_member_cannot_compose(area_member):
    response = compose(client_for(area_member), target_areas=[])

    assert response.status_code == 404
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("step", "fields", "message"),
    [
        ("who", {"target_areas": []}, "Choose at least one area."),
        ("who", {"target_kind": "municipalities"}, "Choose at least one municipality."),
        ("who", {"target_kind": "shape"}, "Draw a shape or a circle"),
        ("what", {"title": ""}, "This field is required."),
        ("what", {"body": "x" * 5001}, "at most 5000 characters"),
        ("what", {"kind": "birthday"}, "Select a valid choice"),
        (
            "when",
            {"publish_at": "2030-01-02T10:00", "expires_at": "2030-01-01T10:00"},
            "must be valid after it is sent",
        ),
        (
            "who",
            {
                "target_kind": "shape",
                "circle_longitude": "13.9",
                "circle_latitude": "58.9",
                "circle_radius": "900000",
            },
            "radius",
        ),
    ],
)
def test_bad_compose_input_is_rejected_and_nothing_is_saved(police, area, step, fields, message):
    response = compose(client_for(police), **{"target_areas": [area.pk], **fields})

    assert response.status_code == 200
    assert message in response.content.decode()
    # The step with the bad input wrote nothing; the steps before it were saved.
    saved = {
        "what": [],
        "who": [("police_alert", "areas", [], [])],
        "when": [("police_alert", "areas", [area], [])],
    }
    assert targets() == saved[step]
    assert not Alert.objects.filter(publish_at__isnull=False).exists()
    assert not Alert.objects.filter(expires_at__isnull=False).exists()


def test_only_the_author_edits_a_draft(police, coordinator, area):
    alert = alert_for(police, area)

    assert (
        client_for(police).get(reverse("notifications:alert_edit", args=[alert.pk])).status_code
        == 200
    )
    assert (
        client_for(coordinator)
        .get(reverse("notifications:alert_edit", args=[alert.pk]))
        .status_code
        == 404
    )
