from django.urls import path

from watch import views

app_name = "watch"

urlpatterns = [
    path("", views.home, name="home"),
    path("areas/", views.area_list, name="area_list"),
    path("areas.geojson", views.areas_geojson, name="areas_geojson"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("areas/<int:pk>/join/", views.join, name="join"),
    path("household/", views.household, name="household"),
    path("household/edit/", views.household_edit, name="household_edit"),
    path("household/leave/", views.leave, name="leave"),
    path("household/interest/", views.interest, name="interest"),
    path("household/invite/", views.household_invite, name="household_invite"),
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
]
