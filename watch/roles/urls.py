"""URLs of an area's contacts, appointed by the officials of its municipality."""

from django.urls import path

from watch.roles import views

urlpatterns = [
    path("manage/areas/<int:pk>/contacts/", views.area_contacts, name="area_contacts"),
    path("manage/contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
]
