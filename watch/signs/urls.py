"""URLs of the areas' signs."""

from django.urls import path

from watch.signs import views

urlpatterns = [
    path("manage/areas/<int:pk>/signs/", views.area_signs, name="area_signs"),
    path("manage/areas/<int:pk>/decals/", views.area_decals, name="area_decals"),
    path("manage/signs/<int:pk>/", views.sign_edit, name="sign_edit"),
    path("manage/signs/<int:pk>/remove/", views.sign_remove, name="sign_remove"),
    path("signs/<int:pk>/report/", views.sign_report, name="sign_report"),
]
