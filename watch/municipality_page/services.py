"""A municipality's public page: what it shows, and how its coordinators change it.

Every change is checked against ``permissions.can_edit_municipality_page`` here as
well as in the views, saved in one transaction, and recorded as one
``MUNICIPALITY_PAGE_UPDATED`` audit entry saying what changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms import BaseModelFormSet, ModelForm
from django.utils.translation import gettext as _

from accounts.models import User
from watch import permissions
from watch.areas.models import Municipality
from watch.audit.models import AuditAction
from watch.audit.services import record
from watch.municipality_page.models import CitizenPromise


def current_promise(municipality: Municipality, today: date) -> CitizenPromise | None:
    """The newest citizen promise that has begun (a promise for next year waits for it),
    with its items."""
    return (
        municipality.citizen_promises.filter(year__lte=today.year)
        .prefetch_related("items")
        .order_by("-year")
        .first()
    )


def _check(actor: User, municipality: Municipality) -> None:
    if not permissions.can_edit_municipality_page(actor, municipality):
        raise PermissionDenied


def _audit(actor: User, municipality: Municipality, detail: str) -> None:
    record(
        actor=actor,
        action=AuditAction.MUNICIPALITY_PAGE_UPDATED,
        municipality=municipality,
        detail=detail,
    )


def _save_formset(formset: BaseModelFormSet[Any, Any], **parent: object) -> None:
    """Save the rows of a valid formset, attaching new rows to ``parent``."""
    for row in formset.save(commit=False):
        for field, value in parent.items():
            setattr(row, field, value)
        row.save()
    for row in formset.deleted_objects:
        row.delete()


def save_page(
    *,
    actor: User,
    municipality: Municipality,
    texts: ModelForm[Municipality],
    contacts: BaseModelFormSet[Any, Any],
) -> bool:
    """Save the page's texts and contacts from valid forms; False if nothing changed."""
    _check(actor, municipality)
    changed = [
        label
        for label, has_changed in (
            ("texts", texts.has_changed()),
            ("contacts", contacts.has_changed()),
        )
        if has_changed
    ]
    if not changed:
        return False
    try:
        with transaction.atomic():
            texts.save()
            _save_formset(contacts, municipality=municipality)
            _audit(actor, municipality, f"page: {', '.join(changed)}")
    except IntegrityError as error:
        # Two editors adding the same person at once: the constraint decides.
        raise ValidationError(
            _("Someone else changed the contacts at the same time. Check them and try again.")
        ) from error
    return True


def create_promise(
    *, actor: User, municipality: Municipality, year: int, introduction: str
) -> CitizenPromise:
    _check(actor, municipality)
    try:
        with transaction.atomic():
            promise = CitizenPromise.objects.create(
                municipality=municipality, year=year, introduction=introduction
            )
            _audit(actor, municipality, f"citizen promise {year}: created")
    except IntegrityError as error:
        raise ValidationError(
            _("There is already a citizen promise for %(year)d: edit that one."),
            params={"year": year},
        ) from error
    return promise


def save_promise(
    *,
    actor: User,
    promise: CitizenPromise,
    introduction: ModelForm,
    items: BaseModelFormSet[Any, Any],
) -> bool:
    """Save a promise's introduction and its items (added, changed, reordered, removed)."""
    municipality = promise.municipality
    _check(actor, municipality)
    if not (introduction.has_changed() or items.has_changed()):
        return False
    with transaction.atomic():
        introduction.save()
        _save_formset(items, promise=promise)
        _audit(actor, municipality, f"citizen promise {promise.year}: updated")
    return True
