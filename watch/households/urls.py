"""URLs of a resident's household, joining and leaving areas, and invitations and decisions."""

from django.urls import path

from watch.households import views

urlpatterns = [
    path("areas/<int:pk>/join/", views.join, name="join"),
    path("household/edit/", views.household_edit, name="household_edit"),
    path("household/leave/", views.leave, name="leave"),
    path("household/interest/", views.interest, name="interest"),
    path("household/invite/", views.household_invite, name="household_invite"),
    path("household/sharing/", views.household_sharing, name="household_sharing"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("manage/areas/<int:pk>/invite/", views.area_invite, name="area_invite"),
    path("manage/areas/<int:pk>/members.csv", views.members_csv, name="members_csv"),
    path("manage/areas/<int:pk>/members/print/", views.members_print, name="members_print"),
    path("manage/requests/<int:pk>/approve/", views.approve, name="approve"),
    path("manage/requests/<int:pk>/decline/", views.decline, name="decline"),
    path("manage/memberships/<int:pk>/remove/", views.remove, name="remove"),
    path("manage/interest/", views.interest_map, name="interest_map"),
]
