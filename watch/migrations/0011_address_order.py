"""Households and the addresses that said no keep a sort key of their address, so lists
are in walking order (watch/households/fields.py); the rows already there get theirs."""

from django.db import migrations

import watch.households.fields
from watch.households.fields import address_order

CHUNK = 2_000


def write_address_order(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    for name in ("Household", "SaidNo"):
        model = apps.get_model("watch", name)
        rows = []
        for row in model.objects.only("street_address").iterator(chunk_size=CHUNK):
            row.address_order = address_order(row.street_address)
            rows.append(row)
            if len(rows) == CHUNK:
                model.objects.bulk_update(rows, ["address_order"])
                rows = []
        model.objects.bulk_update(rows, ["address_order"])


class Migration(migrations.Migration):
    dependencies = [
        ("watch", "0010_paper_texts"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="address_order",
            field=watch.households.fields.AddressOrderField(),
        ),
        migrations.AddField(
            model_name="saidno",
            name="address_order",
            field=watch.households.fields.AddressOrderField(),
        ),
        migrations.RunPython(write_address_order, migrations.RunPython.noop),
    ]
