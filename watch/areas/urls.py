"""URLs of the public map and pages of areas, and their drawing by officials."""

from django.urls import path

from watch.areas import views

urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("municipalities.geojson", views.municipalities_geojson, name="municipalities_geojson"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("manage/areas/new/", views.area_create, name="area_create"),
    path("manage/areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("manage/areas/<int:pk>/confirm/", views.area_confirm, name="area_confirm"),
    path("manage/areas/<int:pk>/close/", views.area_close, name="area_close"),
    path("manage/areas/<int:pk>/revive/", views.area_revive, name="area_revive"),
]
