"""Which task errors are retried: a lost database or network connection, not a bug.

A database restart shows as OperationalError or InterfaceError, a network fault
as OSError; the work is idempotent, so the task runs again. An IntegrityError
(or any other DatabaseError) would fail the same way again: it is not retried.
"""

from __future__ import annotations

import pytest
from django.db import DataError, IntegrityError, InterfaceError, OperationalError

from notifications import tasks
from notifications.alerts import delivery as alert_delivery

pytestmark = pytest.mark.usefixtures("eager_retries")


def failing_once(monkeypatch, error: Exception) -> list[int]:  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def dispatch(alert_id: int) -> int:
        calls.append(alert_id)
        if len(calls) == 1:
            raise error
        return 7

    monkeypatch.setattr(alert_delivery, "dispatch", dispatch)
    return calls


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
        ConnectionResetError("reset by peer"),
    ],
    ids=type,
)
def test_a_lost_connection_is_retried(monkeypatch, error):
    calls = failing_once(monkeypatch, error)

    result = tasks.dispatch_alert.apply(args=(42,))

    assert result.get() == 7
    assert calls == [42, 42]


@pytest.mark.parametrize(
    "error", [IntegrityError("duplicate key"), DataError("value too long")], ids=type
)
def test_a_database_error_that_would_repeat_is_not_retried(monkeypatch, error):
    calls = failing_once(monkeypatch, error)

    result = tasks.dispatch_alert.apply(args=(42,))

    assert result.failed()
    assert isinstance(result.result, type(error))
    assert calls == [42]
