"""The walking-order key of the households and said-no addresses already there.

Not atomic, and by ranges of keys: each chunk is written in a transaction of its own, so
the table is not locked for the whole backfill on PostgreSQL, and SQLite is never written
while a cursor still reads it. Run again, it writes the same keys.
"""

from django.db import migrations

from watch.households.fields import address_order

CHUNK = 2_000


def write_address_order(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    for name in ("Household", "SaidNo"):
        model = apps.get_model("watch", name)
        last = 0
        while rows := list(
            model.objects.filter(pk__gt=last).order_by("pk").only("street_address")[:CHUNK]
        ):
            for row in rows:
                row.address_order = address_order(row.street_address)
            model.objects.bulk_update(rows, ["address_order"])
            last = rows[-1].pk


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("watch", "0011_address_order"),
    ]

    operations = [
        migrations.RunPython(write_address_order, migrations.RunPython.noop),
    ]
