from django.urls import path

from notifications.alerts import views as alert_views
from notifications.answers import views as answer_views
from notifications.channels.views import sms_receipt
from notifications.inbox import views as inbox_views
from notifications.notices import views as notice_views
from notifications.preferences import views as preference_views
from notifications.public import feeds
from notifications.public import views as public_views
from notifications.push import views as push_views
from notifications.replies import views as reply_views
from notifications.tips.views import tip_edit, tip_list, tip_schedule, tip_unschedule

app_name = "notifications"

urlpatterns = [
    path("alerts/", alert_views.alert_list, name="alert_list"),
    path("alerts/new/", alert_views.alert_create, name="alert_create"),
    path("alerts/<int:pk>/", alert_views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/edit/", alert_views.alert_edit, name="alert_edit"),
    path("alerts/<int:pk>/who/", alert_views.alert_who, name="alert_who"),
    path("alerts/<int:pk>/when/", alert_views.alert_when, name="alert_when"),
    path("alerts/<int:pk>/email/", alert_views.alert_email, name="alert_email"),
    path("alerts/<int:pk>/send/", alert_views.alert_send, name="alert_send"),
    path("alerts/<int:pk>/cancel/", alert_views.alert_cancel, name="alert_cancel"),
    path("alerts/<int:pk>/discard/", alert_views.alert_discard, name="alert_discard"),
    path("alerts/<int:pk>/answer/", reply_views.alert_answer, name="alert_answer"),
    path(
        "alerts/<int:pk>/conversations/",
        reply_views.alert_conversations,
        name="alert_conversations",
    ),
    path("conversations/<int:pk>/", reply_views.conversation, name="conversation"),
    path("replies/<int:pk>/photo/", reply_views.reply_photo, name="reply_photo"),
    path(
        "conversations/<int:pk>/close/",
        reply_views.conversation_close,
        name="conversation_close",
    ),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/read-all/", inbox_views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/", inbox_views.inbox_entry, name="inbox_entry"),
    path("inbox/notices/<int:pk>/", answer_views.notice, name="notice"),
    path("preferences/", preference_views.preferences, name="preferences"),
    path("preferences/phone/code/", preference_views.phone_send_code, name="phone_send_code"),
    path("preferences/phone/verify/", preference_views.phone_verify, name="phone_verify"),
    path("unsubscribe/<str:token>/", preference_views.unsubscribe, name="unsubscribe"),
    path("push/subscribe/", push_views.subscribe, name="push_subscribe"),
    path("push/unsubscribe/", push_views.unsubscribe, name="push_unsubscribe"),
    path("push/devices/<int:pk>/remove/", push_views.remove_device, name="push_device_remove"),
    path(
        "no-more-invitations/<str:token>/",
        notice_views.stop_invitations,
        name="stop_invitations",
    ),
    path("sms/receipts/<str:token>/", sms_receipt, name="sms_receipt"),
    path("tips/", tip_list, name="tip_list"),
    path("tips/<int:pk>/edit/", tip_edit, name="tip_edit"),
    path("tips/<int:pk>/yearly/", tip_schedule, name="tip_schedule"),
    path("tips/schedules/<int:pk>/delete/", tip_unschedule, name="tip_unschedule"),
    # Public alerts: the page, CAP 1.2 and Atom feeds (public pages and feeds).
    path("public/<int:pk>/", public_views.public_alert, name="public_alert"),
    path("public/<int:pk>/cap.xml", public_views.alert_cap, name="alert_cap"),
    path("feeds/areas/<int:pk>.atom", feeds.AreaAlertFeed(), name="area_feed"),
    path("feeds/kommun/<slug:slug>.atom", feeds.MunicipalityAlertFeed(), name="municipality_feed"),
    path(
        "feeds/kommun/<slug:slug>/cap.atom",
        feeds.MunicipalityCapFeed(),
        name="municipality_cap_feed",
    ),
]
