from django.urls import path

from notifications import views
from notifications.tip_views import tip_edit, tip_list, tip_schedule, tip_unschedule

app_name = "notifications"

urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/new/", views.alert_create, name="alert_create"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/edit/", views.alert_edit, name="alert_edit"),
    path("alerts/<int:pk>/send/", views.alert_send, name="alert_send"),
    path("alerts/<int:pk>/cancel/", views.alert_cancel, name="alert_cancel"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/", views.inbox_entry, name="inbox_entry"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/phone/code/", views.phone_send_code, name="phone_send_code"),
    path("preferences/phone/verify/", views.phone_verify, name="phone_verify"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("tips/", tip_list, name="tip_list"),
    path("tips/<int:pk>/edit/", tip_edit, name="tip_edit"),
    path("tips/<int:pk>/yearly/", tip_schedule, name="tip_schedule"),
    path("tips/schedules/<int:pk>/delete/", tip_unschedule, name="tip_unschedule"),
]
