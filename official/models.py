"""Every model of the app, for Django's registry, which imports ``official.models``.

The models live with their features; code imports them from there, never from here.
"""

from official.crisis_news.models import CrisisNews
from official.fetching import FeedState
from official.police_events.models import PoliceEvent
from official.public_warnings.models import PublicWarning

__all__ = ["CrisisNews", "FeedState", "PoliceEvent", "PublicWarning"]
