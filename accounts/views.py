from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from accounts import services
from accounts.forms import DeleteAccountForm, ProfileForm
from accounts.http import AuthenticatedRequest
from accounts.models import Language


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_GET
@never_cache
def data_export(request: AuthenticatedRequest) -> HttpResponse:
    """Everything held about the member, as a JSON download (GDPR art. 15 and 20)."""
    data = services.export_personal_data(user=request.user)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    filename = f"grannsamverkan-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def has_no_password(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and not user.has_usable_password()


@login_required
# Someone who signed up with a passkey has no password to type: they confirm with the
# passkey instead (allauth's re-authentication, on the POST).
@reauthentication_required(enabled=has_no_password, allow_get=True)
def delete_account(request: AuthenticatedRequest) -> HttpResponse:
    # Bound on any POST: for someone without a password the form has no field at all.
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        # The same limit as allauth's re-authentication: no guessing the password here.
        if not ratelimit.consume(request, action="reauthenticate", user=request.user):
            messages.error(request, _("Too many attempts. Wait a minute and try again."))
        elif form.is_valid():
            services.delete_account(user=request.user)
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("watch:home")
    return render(request, "accounts/delete_account.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also saves the choice on a signed-in user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in Language.values:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
