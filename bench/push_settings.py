"""The push benchmark's worker settings: the project's own, with the push service on
loopback allowed (notifications/push/conf.py), which no deployment may do."""

from config.settings import *  # noqa: F403

PUSH_ALLOW_LOCAL_ENDPOINTS = True
