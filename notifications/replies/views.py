"""Conversations about an alert: the member's page, and the handlers' list and thread."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from config import photos
from config.ratelimit import rate_limited
from notifications.replies import selectors, services
from notifications.replies.forms import ReplyForm
from watch.decorators import manager_required


@login_required
@rate_limited("reply")
def alert_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A member's private conversation with the sender of an alert they received."""
    alert = selectors.received(request.user, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_reply(
                member=request.user,
                alert=alert,
                text=form.cleaned_data["text"],
                photo=form.cleaned_photo(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sent. Only the sender and their colleagues see it."))
            return redirect("notifications:alert_answer", pk=alert.pk)
    conversation = selectors.member_conversation(request.user, alert)
    # Read when looked at; a refused message writes nothing at all.
    if conversation is not None and request.method == "GET":
        services.mark_read(conversation, by_member=True)
    return render(
        request,
        "notifications/answer.html",
        {
            "alert": alert,
            "conversation": conversation,
            "replies": list(conversation.replies.all()) if conversation else [],
            "form": form,
        },
    )


@manager_required
def alert_conversations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What members wrote about an alert, one conversation each, unread first marked."""
    alert = get_object_or_404(selectors.answerable(request.user), pk=pk)
    return render(
        request,
        "notifications/conversations.html",
        {
            "alert": alert,
            "conversations": selectors.conversations_of(alert),
            "unread": selectors.unread_ids(alert),
        },
    )


@manager_required
@rate_limited("reply")
def conversation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One member's conversation about an alert; the handler answers or closes it."""
    thread = selectors.conversation_for(request.user, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(
                handler=request.user,
                conversation=thread,
                text=form.cleaned_data["text"],
                photo=form.cleaned_photo(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sent. The member is told by e-mail."))
            return redirect("notifications:conversation", pk=thread.pk)
    if request.method == "GET":
        services.mark_read(thread, by_member=False)
    return render(
        request,
        "notifications/conversation.html",
        {"conversation": thread, "replies": list(thread.replies.all()), "form": form},
    )


@manager_required
@require_POST
def conversation_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    thread = selectors.conversation_for(request.user, pk)
    try:
        services.close(handler=request.user, conversation=thread)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The conversation is closed."))
    return redirect("notifications:alert_conversations", pk=thread.alert_id)


@manager_required  # a member passes; an official sets up the second factor first
@require_GET
def reply_photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A photo in a conversation, to its member and to the alert's handlers only."""
    reply = get_object_or_404(selectors.photos_for(request.user), pk=pk)
    extension = (reply.photo.name or "").rsplit(".", 1)[-1].lower()
    try:
        handle = reply.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=photos.CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="reply-{reply.pk}.{extension}"'
    return response
