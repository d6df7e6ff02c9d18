"""URLs of the municipality's public page, edited by its coordinators."""

from django.urls import path

from watch.municipality_page import views

urlpatterns = [
    path("kommun/<slug:slug>/", views.municipality, name="municipality"),
    path("kommun/<slug:slug>/edit/", views.municipality_edit, name="municipality_edit"),
    path(
        "kommun/<slug:slug>/promises/new/",
        views.promise_create,
        name="promise_create",
    ),
    path(
        "kommun/<slug:slug>/promises/<int:year>/",
        views.promise_edit,
        name="promise_edit",
    ),
]
