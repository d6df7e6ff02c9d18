import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from notifications.alerts.models import AlertStatus
from tests.conftest import client_for
from tests.factories import alert_for

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "watch", "notifications", "official")
PROJECT_MODELS = [m for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()]
# Audit trails are written by the services only: nobody adds one by hand.
WRITTEN_BY_SERVICES_ONLY = {
    "watch.AuditEntry",
    "notifications.Delivery",
    "notifications.DispatchRange",
    "notifications.OutboundEmail",
    # Texts to households on paper: written at dispatch (watch.paper.texts).
    "watch.PaperText",
    # Only the recipient's own click adds one (notifications.notices.views).
    "notifications.StoppedAddress",
    # Only the bounce receiver counts bounces (notifications.bounces).
    "notifications.BouncingAddress",
    # Written on the site, where who may write them is checked.
    "notifications.Conversation",
    "notifications.Reply",
    "watch.ObservationUpdate",
    # Imported from the police and Sveriges Radio (official), as they published it.
    "official.PoliceEvent",
    "official.PublicWarning",
    "official.CrisisNews",
    "official.FeedState",
    # Written when an answer is told (notifications.answers).
    "notifications.Notice",
}


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
def test_every_project_model_has_a_working_admin(admin_user, area, model):
    client = client_for(admin_user)
    info = (model._meta.app_label, model._meta.model_name)

    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    added = client.get(reverse("admin:{}_{}_add".format(*info))).status_code
    assert added == (403 if model._meta.label in WRITTEN_BY_SERVICES_ONLY else 200)


def test_every_project_model_is_registered():
    assert [m._meta.label for m in PROJECT_MODELS if not admin.site.is_registered(m)] == []


def test_the_area_boundary_is_edited_on_the_map_in_the_admin(admin_user, area):
    page = client_for(admin_user).get(reverse("admin:watch_watcharea_change", args=[area.pk]))

    content = page.content.decode()
    assert 'data-map="editor"' in content
    assert "leaflet/draw/leaflet.draw.js" in content


def test_where_an_alert_went_is_shown_in_the_admin_but_not_edited(admin_user, police, area, area_b):
    alert = alert_for(police, area, status=AlertStatus.SENT)
    alert.areas.set([area])
    client = client_for(admin_user)
    url = reverse("admin:notifications_alert_change", args=[alert.pk])

    form = client.get(url).context["adminform"].form

    assert "areas" not in form.fields
    assert "municipalities" not in form.fields
    # Drawn and checked in the composer; typed as raw JSON, "1e309" was a 500 on PostgreSQL.
    assert "target_shape" not in form.fields
    assert "sender_places" not in form.fields
    assert "Marieholm" in client.get(url).content.decode()
