"""Appointing and removing an area's contacts: the officials of its municipality."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from watch import permissions
from watch.areas.models import WatchArea
from watch.decorators import manager_required
from watch.roles import services
from watch.roles.forms import AppointContactForm
from watch.roles.models import AreaContact
from watch.shortcuts import managed_area_or_404


@manager_required
def area_contacts(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    if not permissions.can_edit_area(request.user, area):
        raise PermissionDenied
    form = AppointContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appoint_contact(
                actor=request.user,
                area=area,
                email=form.cleaned_data["email"],
                is_main=form.cleaned_data["is_main"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The area contact has been appointed."))
            return redirect("watch:area_contacts", pk=area.pk)
    return render(
        request,
        "watch/area_contacts.html",
        {"area": area, "contacts": area.contacts.select_related("user"), "form": form},
    )


def _add_errors(form: AppointContactForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@manager_required
@require_POST
def contact_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        AreaContact.objects.filter(
            area__in=WatchArea.objects.filter(permissions.manageable_areas(request.user))
        ).select_related("area", "user"),
        pk=pk,
    )
    if not permissions.can_edit_area(request.user, contact.area):
        raise PermissionDenied
    services.remove_contact(actor=request.user, contact=contact)
    messages.success(
        request, _("%(name)s is no longer a contact for the area.") % {"name": contact.user}
    )
    return redirect("watch:area_contacts", pk=contact.area_id)
