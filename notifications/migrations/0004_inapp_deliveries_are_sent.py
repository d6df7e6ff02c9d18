"""In-app deliveries are written as sent by dispatch; no send task handles them any more.

Rows that were still waiting for one when this deploys become what they stand for:
inbox entries that have arrived.
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce


def deliver_waiting_inapp_rows(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    Delivery = apps.get_model("notifications", "Delivery")
    Delivery.objects.filter(channel="inapp", status__in=["queued", "sending"]).update(
        status="sent",
        sent_at=Coalesce(F("claimed_at"), F("created_at")),
        next_attempt_at=None,
        last_error="",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_drop_redundant_delivery_alert_index"),
    ]

    operations = [
        migrations.RunPython(deliver_waiting_inapp_rows, migrations.RunPython.noop),
    ]
