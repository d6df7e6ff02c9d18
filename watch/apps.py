from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "watch"
    verbose_name = _("Neighbourhood watch")

    def ready(self) -> None:
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts import personal_data, signals
        from notifications.alerts import delivery, planning
        from notifications.alerts import selectors as alert_selectors
        from notifications.channels import email, sms
        from watch import personal_data as ours

        # Registers the tasks that services queue by name (config.celery_app.enqueue).
        from watch import tasks  # noqa: F401
        from watch.areas.models import Municipality, WatchArea
        from watch.audit import services as audit
        from watch.community import meetings
        from watch.paper import texts
        from watch.paper.models import PaperText
        from watch.roles.models import AreaContact, Official

        # Signals rather than calls in services, so admin edits and every other save
        # path also invalidate the areas index and the public GeoJSON. bulk_create and
        # queryset.update() send no signals: code using them calls areas_changed().
        for model in (WatchArea, Municipality):
            post_save.connect(_areas_changed, sender=model, dispatch_uid=f"saved-{model.__name__}")
            post_delete.connect(
                _areas_changed, sender=model, dispatch_uid=f"deleted-{model.__name__}"
            )
        # The same for roles, which every process keeps per roles version (watch.permissions):
        # officials, their municipalities, area contacts and second factors.
        for role_model in (Official, Official.municipalities.through, AreaContact, Authenticator):
            name = role_model.__name__
            post_save.connect(_roles_changed, sender=role_model, dispatch_uid=f"roles-saved-{name}")
            post_delete.connect(
                _roles_changed, sender=role_model, dispatch_uid=f"roles-deleted-{name}"
            )
        m2m_changed.connect(
            _roles_changed, sender=Official.municipalities.through, dispatch_uid="roles-m2m"
        )
        # A meeting invitation's e-mail carries the meeting as a calendar file.
        email.register_attachments(meetings.invitation_attachments)
        # Households on paper with a verified number are texted what the area is told.
        delivery.register_other_recipients(texts.write)
        planning.register_other_preview(texts.preview)
        alert_selectors.register_other_messages(texts.report_counts)
        sms.register_texts(texts.RECEIPTS, PaperText.objects.all)
        personal_data.register(self.label, ours.PERSONAL_DATA)
        signals.personal_data_exported.connect(audit.personal_data_exported)
        signals.account_deleted.connect(audit.account_deleted)


def _areas_changed(**_kwargs: object) -> None:
    from watch.areas import selectors

    selectors.areas_changed()


def _roles_changed(**_kwargs: object) -> None:
    from watch import permissions

    permissions.roles_changed()
