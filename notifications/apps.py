from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Alerts and notifications")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from celery import signals

        from accounts import adapter, personal_data
        from notifications import personal_data as ours

        # Registers the tasks that services queue by name (config.celery_app.enqueue).
        from notifications import tasks  # noqa: F401
        from notifications.alerts import languages
        from notifications.bounces import services as bounces
        from notifications.channels import email
        from notifications.inbox import services as inbox
        from notifications.notices import services as notices
        from notifications.push import checks  # noqa: F401 - registers push's system checks
        from watch.households.signals import joined_area

        languages.check_setting()
        personal_data.register(self.label, ours.PERSONAL_DATA)
        adapter.register_mail_sender(notices.send_rendered)
        joined_area.connect(inbox.on_joined_area, dispatch_uid="notifications-inbox-catch-up")
        # Confirming an address again lifts its suspension after bounces.
        email_confirmed.connect(bounces.on_email_confirmed, dispatch_uid="notifications-bounces")
        # A worker renders a letter before it forks its pool (Celery sends worker_init
        # after Django is set up), so its children need not each do it.
        signals.worker_init.connect(email.warm_up, dispatch_uid="notifications-warm-up")
