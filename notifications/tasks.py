from __future__ import annotations

from typing import Any

from celery import shared_task

from notifications import emails


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_templated_email(
    template: str, recipients: list[dict[str, str]], context: dict[str, Any]
) -> int:
    return emails.send_templated(template=template, recipients=recipients, context=context)
