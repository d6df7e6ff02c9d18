"""URLs of the home page and the managers' pages of their areas."""

from django.urls import path

from watch.dashboards import views

urlpatterns = [
    path("", views.home, name="home"),
    path("household/", views.household, name="household"),
    path("manage/", views.manage, name="manage"),
    path("manage/areas/<int:pk>/", views.manage_area, name="manage_area"),
]
