"""URLs of statistics of a municipality: its officials and admins."""

from django.urls import path

from watch.statistics import views

urlpatterns = [
    path("manage/statistics/", views.statistics_index, name="statistics_index"),
    path("manage/statistics/<int:pk>/", views.statistics_dashboard, name="statistics"),
    path(
        "manage/statistics/<int:pk>/<slug:slug>.csv",
        views.statistics_csv,
        name="statistics_csv",
    ),
]
