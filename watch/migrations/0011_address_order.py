"""Households and the addresses that said no keep a sort key of their address, so lists
are in walking order (watch/households/fields.py); 0012 writes the key of rows already
there."""

from django.db import migrations

import watch.households.fields


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
    ]
