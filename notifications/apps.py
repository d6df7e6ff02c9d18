from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Alerts and notifications")

    def ready(self) -> None:
        from accounts import personal_data
        from notifications import personal_data as ours

        # Registers the tasks that services queue by name (config.celery_app.enqueue).
        from notifications import tasks  # noqa: F401

        personal_data.register(self.label, ours.PERSONAL_DATA)
