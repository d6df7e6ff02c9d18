"""Paper households, their letters and the start kit: the area contacts' pages, and the
residents' claim of a household registered for them.

Management URLs look areas up through ``watch.shortcuts.managed_area_or_404`` (lists
through ``permissions.manageable_areas``): an area, paper household or alert someone may
not manage is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from config.ratelimit import rate_limited
from notifications.preferences.forms import VerificationCodeForm
from notifications.rendering import absolute
from notifications.sms import verification
from watch import permissions
from watch.areas.models import Municipality, WatchArea
from watch.decorators import manager_required
from watch.households.models import Household
from watch.paper import pdf, selectors, services, texts
from watch.paper.forms import (
    ClaimForm,
    DeliveredForm,
    InterestStartKitForm,
    PaperHouseholdForm,
    PaperPhoneForm,
    StartKitForm,
)
from watch.paper.models import PaperHousehold
from watch.shortcuts import managed_area_or_404, show_errors


@manager_required
def register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    form = PaperHouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.said_no():
                services.record_said_no(actor=request.user, area=area, address=form.address())
            else:
                paper = services.register_paper_household(
                    actor=request.user, area=area, address=form.address(), details=form.details()
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.said_no():
                messages.success(request, _("The household's answer has been recorded."))
                return redirect("watch:manage_area", pk=area.pk)
            messages.success(request, _("The household is now a member, on paper."))
            return redirect("watch:paper_household", pk=paper.pk)
    return render(
        request,
        "watch/paper/register.html",
        # The map opens on the area, not the whole region: the household is in it.
        {"form": form, "area": area, "outlines": [area.boundary]},
    )


def _managed_paper(request: AuthenticatedRequest, pk: int) -> tuple[PaperHousehold, WatchArea]:
    paper = selectors.paper_household_in(permissions.manageable_areas(request.user), pk)
    if paper is None:
        raise Http404
    return paper, selectors.area_of(paper)


def _household_page(
    request: AuthenticatedRequest,
    paper: PaperHousehold,
    area: WatchArea,
    *,
    phone_form: PaperPhoneForm | None = None,
    code_form: VerificationCodeForm | None = None,
) -> HttpResponse:
    """The household's page, with the form that was sent and its errors, if any."""
    return render(
        request,
        "watch/paper/household.html",
        {
            "paper": paper,
            "area": area,
            "phone_form": phone_form or PaperPhoneForm(initial={"phone": paper.phone}),
            "code_form": code_form or VerificationCodeForm(),
            # A code is waiting to be read back: its field comes first.
            "code_sent": code_form is not None or verification.is_pending(paper, timezone.now()),
        },
    )


@manager_required
@require_GET
def paper_household(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    paper, area = _managed_paper(request, pk)
    return _household_page(request, paper, area)


@manager_required
@require_POST
def paper_phone(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    paper, area = _managed_paper(request, pk)
    form = PaperPhoneForm(request.POST)
    if not form.is_valid():
        return _household_page(request, paper, area, phone_form=form)
    services.change_phone(actor=request.user, paper=paper, area=area, **form.cleaned_data)
    messages.success(request, _("The mobile number has been saved."))
    return redirect("watch:paper_household", pk=paper.pk)


@manager_required
@require_POST
@rate_limited("phone_code")  # each code is a paid text, as a member's is
def paper_phone_code(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    paper, area = _managed_paper(request, pk)
    try:
        services.send_phone_code(actor=request.user, paper=paper, area=area)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("A code has been texted to %(phone)s. Ask the resident to read it to you.")
            % {"phone": paper.phone_display},
        )
        # On a phone the code's field is a long way down: straight to it.
        return redirect(reverse("watch:paper_household", args=[paper.pk]) + "#confirm-number")
    return redirect("watch:paper_household", pk=paper.pk)


@manager_required
@require_POST
def paper_phone_verify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    paper, area = _managed_paper(request, pk)
    form = VerificationCodeForm(request.POST)
    if form.is_valid():
        try:
            services.verify_phone(
                actor=request.user, paper=paper, area=area, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request, _("The number is verified: the area's messages are texted to it.")
            )
            return redirect("watch:paper_household", pk=paper.pk)
    return _household_page(request, paper, area, code_form=form)


@require_http_methods(["GET", "POST"])
def sms_stop(request: HttpRequest, token: str) -> HttpResponse:
    """The stop link in every text to a household on paper: no login, the signed token is
    the authority. A GET only asks (link previews open links), the button stops."""
    paper = texts.paper_of(token)
    if paper is None:
        return render(request, "watch/paper/sms_stop.html", {"invalid": True}, status=400)
    context: dict[str, object] = {
        "phone": paper.phone_display,
        "already": paper.texts_stopped_at is not None and not paper.phone_verified,
        "contact": selectors.contact_name_of(paper),
    }
    if request.method == "POST":
        services.stop_texts(paper=paper)
        context["done"] = True
    return render(request, "watch/paper/sms_stop.html", context)


@manager_required
@require_POST
def claim_code(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new code, shown once on a page to print: only its hash is kept."""
    paper, area = _managed_paper(request, pk)
    code = services.new_claim_code(actor=request.user, paper=paper, area=area)
    response = render(
        request,
        "watch/paper/claim_code.html",
        {"paper": paper, "area": area, "code": code, "claim_url": absolute(reverse("watch:claim"))},
    )
    response["Cache-Control"] = "private, no-store"  # the code is as good as a key
    return response


@login_required
@rate_limited("claim")
def claim(request: AuthenticatedRequest) -> HttpResponse:
    """A resident enters the code printed for their household. Every attempt counts
    against the limit, right or wrong: the limit is what makes guessing hopeless."""
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_household(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Welcome! The household is now yours on the site too."))
            return redirect("watch:household")
    return render(request, "watch/paper/claim.html", {"form": form})


@manager_required
@require_GET
def letters(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    return render(
        request, "watch/paper/letters.html", {"area": area, "letters": selectors.letters(area)}
    )


def _alert_letters(
    request: AuthenticatedRequest, pk: int, alert_pk: int
) -> tuple[WatchArea, selectors.AlertLetters]:
    area = managed_area_or_404(request, pk)
    entry = selectors.letters_for(area, alert_pk)
    if entry is None:
        raise Http404
    return area, entry


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Names and addresses: no copy in a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


def _printed(request: HttpRequest, entry: selectors.AlertLetters) -> list[PaperHousehold]:
    """The households waiting for the letter, or with ``?texted=1`` those texted it, for
    a contact who brings them a letter all the same."""
    return entry.texted if request.GET.get("texted") == "1" else entry.to_deliver


@manager_required
@require_GET
def letters_pdf(request: AuthenticatedRequest, pk: int, alert_pk: int) -> HttpResponse:
    area, entry = _alert_letters(request, pk, alert_pk)
    # In the service's language, not the contact's: the households have chosen none.
    with translation.override(settings.LANGUAGE_CODE):
        content = pdf.letters(entry.alert, _printed(request, entry), area.name)
    return _pdf(content, f"letters-{area.pk}-{alert_pk}.pdf")


@manager_required
@require_GET
def labels_pdf(request: AuthenticatedRequest, pk: int, alert_pk: int) -> HttpResponse:
    area, entry = _alert_letters(request, pk, alert_pk)
    return _pdf(pdf.labels(_printed(request, entry)), f"labels-{area.pk}-{alert_pk}.pdf")


@manager_required
@require_POST
def letters_delivered(request: AuthenticatedRequest, pk: int, alert_pk: int) -> HttpResponse:
    area, entry = _alert_letters(request, pk, alert_pk)
    households = Household.objects.filter(pk__in=entry.household_ids)
    form = DeliveredForm(request.POST, households=households)
    if form.is_valid():
        services.mark_delivered(
            actor=request.user,
            area=area,
            alert=entry.alert,
            households=form.cleaned_data["households"],
        )
        messages.success(request, _("The letters are marked as delivered."))
    else:
        show_errors(request, ValidationError(list(form.errors["households"])))
    return redirect("watch:paper_letters", pk=area.pk)


@manager_required
@require_GET
def household_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    area = managed_area_or_404(request, pk)
    response = render(
        request,
        "watch/paper/household_list.html",
        {"area": area, "rows": selectors.household_list(area)},
    )
    # Every household's names and numbers: kept by no cache, shared or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


@manager_required
@require_GET
def start_kit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The invitation to the start meeting: the planned start meeting's time and place
    unless the contact gives others, with a QR code to the area's page (Ask to join)."""
    area = managed_area_or_404(request, pk)
    meeting = selectors.next_start_meeting(area)
    initial: dict[str, object] = {"contact": request.user.full_name}
    if meeting is not None:
        initial |= {"starts_at": timezone.localtime(meeting.starts_at), "place": meeting.location}
    form = StartKitForm(request.GET or None, initial=initial)
    if form.is_valid():
        return _invitation(
            form,
            _("Neighbourhood watch in %(area)s") % {"area": area.name},
            absolute(reverse("watch:area_detail", args=[area.pk])),
            f"start-kit-{area.pk}.pdf",
        )
    return render(
        request, "watch/paper/start_kit.html", {"form": form, "area": area, "meeting": meeting}
    )


@manager_required
@require_GET
def interest_start_kit(request: AuthenticatedRequest) -> HttpResponse:
    """The same invitation for a neighbourhood where households wait for an area, with a
    QR code to the page where more of them register their interest."""
    if not permissions.can_see_interest(request.user):
        raise Http404
    municipalities = permissions.administered_municipalities(request.user)
    form = InterestStartKitForm(
        request.GET or None,
        initial={"contact": request.user.full_name},
        municipalities=Municipality.objects.filter(municipalities).order_by("name"),
    )
    if form.is_valid():
        data = form.cleaned_data
        return _invitation(
            form,
            _("Neighbourhood watch in %(area)s") % {"area": data["neighbourhood"]},
            absolute(reverse("watch:interest")),
            f"start-kit-{data['municipality'].slug}.pdf",
        )
    return render(request, "watch/paper/start_kit.html", {"form": form})


def _invitation(form: StartKitForm, heading: str, link: str, filename: str) -> HttpResponse:
    data = form.cleaned_data
    details = pdf.Invitation(
        heading=heading,
        starts=formats.date_format(timezone.localtime(data["starts_at"]), "DATETIME_FORMAT"),
        place=data["place"],
        contact=data["contact"],
        link=link,
    )
    return _pdf(pdf.invitation(details), filename)
