"""What the channels' providers report back: the SMS provider's handset receipts
(notifications.channels.sms)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications.channels import sms


@csrf_exempt  # The provider posts without a session; the signed URL is the authority.
@require_POST
def sms_receipt(request: HttpRequest, token: str) -> HttpResponse:
    text = sms.text_of(token)
    if text is None:
        raise Http404
    try:
        receipt = sms.parse(*text, request.POST.dict())
    except sms.BadReceipt as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain")
    try:
        sms.record(receipt)
    except sms.TooEarly:
        # Not 2xx: 46elks tries again, by when the worker has recorded the text as sent.
        return HttpResponse("not sent yet", status=409, content_type="text/plain")
    # 2xx also for a repeated report: anything else makes 46elks try again for hours.
    return HttpResponse(status=204)
