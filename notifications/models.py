"""Every model of the app, for Django's registry, which imports ``notifications.models``.

The models live with their features (``notifications.alerts.models`` and so on);
code imports them from there, never from here.
"""

from notifications.alerts.models import Alert, AlertVersion, Delivery
from notifications.answers.models import Notice
from notifications.notices.models import BouncingAddress, OutboundEmail
from notifications.preferences.models import MemberSettings, Preference
from notifications.push.models import PushSubscription
from notifications.replies.models import Conversation, Reply
from notifications.tips.models import Tip, TipSchedule

__all__ = [
    "Alert",
    "AlertVersion",
    "BouncingAddress",
    "Conversation",
    "Delivery",
    "MemberSettings",
    "Notice",
    "OutboundEmail",
    "Preference",
    "PushSubscription",
    "Reply",
    "Tip",
    "TipSchedule",
]
