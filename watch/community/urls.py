"""URLs of meetings and the area calendar, away notices, observations."""

from django.urls import path

from watch.community import views

urlpatterns = [
    path(
        "manage/areas/<int:pk>/meetings/new/",
        views.meeting_create,
        name="meeting_create",
    ),
    path("manage/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("manage/meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("calendar/<str:token>.ics", views.area_calendar, name="area_calendar"),
    path("household/away/", views.away_notices, name="away_notices"),
    path(
        "household/away/<int:pk>/delete/",
        views.away_notice_delete,
        name="away_notice_delete",
    ),
    path("observations/new/", views.observation_report, name="observation_report"),
    path("observations/nearby/", views.observation_nearby, name="observation_nearby"),
    path("manage/observations/", views.observation_list, name="observation_list"),
    path("manage/observations.csv", views.observations_csv, name="observations_csv"),
    path("observations/mine/", views.my_observations, name="my_observations"),
    path("manage/observations/<int:pk>/", views.observation_detail, name="observation_detail"),
    path(
        "manage/observations/<int:pk>/status/",
        views.observation_status,
        name="observation_status",
    ),
    path(
        "manage/observations/<int:pk>/merge/",
        views.observation_merge,
        name="observation_merge",
    ),
    path(
        "manage/observations/<int:pk>/photo/",
        views.observation_photo,
        name="observation_photo",
    ),
]
