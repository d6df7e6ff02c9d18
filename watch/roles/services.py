"""Appointing and removing area contacts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.notices.services import notify_users
from watch import permissions
from watch.areas.models import WatchArea
from watch.audit.models import AuditAction
from watch.audit.services import record
from watch.roles.models import AreaContact

MAX_AREA_CONTACTS = 3


def appoint_contact(*, actor: User, area: WatchArea, email: str, is_main: bool) -> AreaContact:
    if not permissions.can_edit_area(actor, area):
        raise PermissionDenied
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody has an account with that e-mail address. Ask them to sign up first."
                )
            }
        )
    with transaction.atomic():
        # Lock the area row so two appointments at once cannot both pass the count.
        WatchArea.objects.select_for_update().filter(pk=area.pk).first()
        contacts = AreaContact.objects.filter(area=area)
        if contacts.filter(user=user).exists():
            raise ValidationError(
                {"email": _("%(name)s is already a contact for this area.") % {"name": user}}
            )
        if contacts.count() >= MAX_AREA_CONTACTS:
            raise ValidationError(
                _("An area has at most %(count)d contacts. Remove one first.")
                % {"count": MAX_AREA_CONTACTS}
            )
        if is_main:
            contacts.filter(is_main=True).update(is_main=False)
        contact = AreaContact.objects.create(
            area=area, user=user, is_main=is_main, appointed_by=actor
        )
        record(actor=actor, action=AuditAction.CONTACT_APPOINTED, area=area, subject=user)
        notify_users(
            users=[user],
            template="watch/contact_appointed",
            context={"area": area.name, "area_id": area.pk},
        )
    permissions.forget_roles(user)
    return contact


def remove_contact(*, actor: User, contact: AreaContact) -> None:
    if not permissions.can_edit_area(actor, contact.area):
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = AreaContact.objects.filter(pk=contact.pk).delete()
        if deleted:
            record(
                actor=actor,
                action=AuditAction.CONTACT_REMOVED,
                area=contact.area,
                subject=contact.user,
            )
