from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "watch"
    verbose_name = _("Neighbourhood watch")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from watch.areas.models import Municipality, WatchArea

        # Signals rather than calls in services, so admin edits and every other save
        # path also invalidate the areas index and the public GeoJSON. bulk_create and
        # queryset.update() send no signals: code using them calls areas_changed().
        for model in (WatchArea, Municipality):
            post_save.connect(_areas_changed, sender=model, dispatch_uid=f"saved-{model.__name__}")
            post_delete.connect(
                _areas_changed, sender=model, dispatch_uid=f"deleted-{model.__name__}"
            )


def _areas_changed(**_kwargs: object) -> None:
    from watch.areas import selectors as area_selectors

    area_selectors.areas_changed()
