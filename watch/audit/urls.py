"""URLs of the audit log."""

from django.urls import path

from watch.audit import views

urlpatterns = [
    path("manage/audit/", views.audit_log, name="audit_log"),
]
