"""What happens to an account that other apps may want to record (the audit log does)."""

from django.dispatch import Signal

# Sent with ``user`` after the user downloaded their data.
personal_data_exported = Signal()
# Sent in the transaction that erased and anonymised an account; names nobody.
account_deleted = Signal()
