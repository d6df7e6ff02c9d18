"""What the households feature tells the features above it (which it may not import)."""

from django.dispatch import Signal

# People started to belong to an area: a household was approved (all its members), or
# someone joined a household that is a member. Arguments: area (a WatchArea) and
# user_ids (a list of user ids). notifications.inbox gives them what the area was told.
joined_area = Signal()
