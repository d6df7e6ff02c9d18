from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Alerts and notifications")

    def ready(self) -> None:
        # Registers the tasks that services queue by name (config.celery_app.enqueue).
        from notifications import tasks  # noqa: F401
