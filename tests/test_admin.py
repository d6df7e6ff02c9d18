import pytest
from django.contrib import admin
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"accounts", "watch", "notifications"}


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS],
    ids=lambda m: m._meta.label,
)
def test_every_project_model_has_a_working_admin(admin_user, area, model):
    client = client_for(admin_user)
    info = (model._meta.app_label, model._meta.model_name)

    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    # Audit trails (AuditEntry, Delivery) refuse to be added by hand: 403.
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code in (200, 403)


def test_every_project_model_is_registered():
    from django.apps import apps

    models = {m for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()}

    assert models - set(admin.site._registry) == set()


def test_the_area_boundary_is_edited_on_the_map_in_the_admin(admin_user, area):
    page = client_for(admin_user).get(reverse("admin:watch_watcharea_change", args=[area.pk]))

    content = page.content.decode()
    assert 'data-map="editor"' in content
    assert "leaflet/draw/leaflet.draw.js" in content
