from django.urls import path

from watch import (
    audit_views,
    calendar_views,
    municipality_views,
    observation_views,
    statistics_views,
    views,
)

app_name = "watch"

urlpatterns = [
    path("", views.home, name="home"),
    path("areas/", views.area_list, name="area_list"),
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("areas/<int:pk>/join/", views.join, name="join"),
    # The municipality's public page, edited by its coordinators.
    path("kommun/<slug:slug>/", municipality_views.municipality, name="municipality"),
    path(
        "kommun/<slug:slug>/edit/", municipality_views.municipality_edit, name="municipality_edit"
    ),
    path(
        "kommun/<slug:slug>/promises/new/",
        municipality_views.promise_create,
        name="promise_create",
    ),
    path(
        "kommun/<slug:slug>/promises/<int:year>/",
        municipality_views.promise_edit,
        name="promise_edit",
    ),
    path("household/", views.household, name="household"),
    path("household/edit/", views.household_edit, name="household_edit"),
    path("household/leave/", views.leave, name="leave"),
    path("household/interest/", views.interest, name="interest"),
    path("household/invite/", views.household_invite, name="household_invite"),
    path("household/sharing/", views.household_sharing, name="household_sharing"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("manage/", views.manage, name="manage"),
    path("manage/areas/new/", views.area_create, name="area_create"),
    path("manage/areas/<int:pk>/", views.manage_area, name="manage_area"),
    path("manage/areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("manage/areas/<int:pk>/contacts/", views.area_contacts, name="area_contacts"),
    path("manage/areas/<int:pk>/invite/", views.area_invite, name="area_invite"),
    path("manage/areas/<int:pk>/members.csv", views.members_csv, name="members_csv"),
    path("manage/areas/<int:pk>/members/print/", views.members_print, name="members_print"),
    path("manage/contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
    path("manage/requests/<int:pk>/approve/", views.approve, name="approve"),
    path("manage/requests/<int:pk>/decline/", views.decline, name="decline"),
    path("manage/memberships/<int:pk>/remove/", views.remove, name="remove"),
    path("manage/interest/", views.interest_map, name="interest_map"),
    path("manage/audit/", audit_views.audit_log, name="audit_log"),
    # Meetings, the area calendar feed and away notices.
    path(
        "manage/areas/<int:pk>/meetings/new/",
        calendar_views.meeting_create,
        name="meeting_create",
    ),
    path("manage/meetings/<int:pk>/edit/", calendar_views.meeting_edit, name="meeting_edit"),
    path("manage/meetings/<int:pk>/cancel/", calendar_views.meeting_cancel, name="meeting_cancel"),
    path("calendar/<str:token>.ics", calendar_views.area_calendar, name="area_calendar"),
    path("household/away/", calendar_views.away_notices, name="away_notices"),
    path(
        "household/away/<int:pk>/delete/",
        calendar_views.away_notice_delete,
        name="away_notice_delete",
    ),
    # Observations: members report, area contacts and coordinators see and handle them.
    path("observations/new/", observation_views.observation_report, name="observation_report"),
    path("manage/observations/", observation_views.observation_list, name="observation_list"),
    path("manage/observations.csv", observation_views.observations_csv, name="observations_csv"),
    path(
        "manage/observations/<int:pk>/handled/",
        observation_views.observation_handled,
        name="observation_handled",
    ),
    path(
        "manage/observations/<int:pk>/photo/",
        observation_views.observation_photo,
        name="observation_photo",
    ),
    # Statistics of a municipality: its officials and admins.
    path("manage/statistics/", statistics_views.statistics_index, name="statistics_index"),
    path("manage/statistics/<int:pk>/", statistics_views.statistics_dashboard, name="statistics"),
    path(
        "manage/statistics/<int:pk>/<slug:slug>.csv",
        statistics_views.statistics_csv,
        name="statistics_csv",
    ),
]
