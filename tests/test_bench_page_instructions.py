"""The instruction counts of ``bench page-instructions`` (callgrind) repeat run after run
and grow with the work done, so one request's count is the difference of two runs."""

import os
import shutil
import sys

import pytest

from bench.page_instructions import instructions

pytestmark = pytest.mark.bench


def loop(times: int) -> list[str]:
    """A Python program that does the same small piece of work ``times`` times."""
    return [sys.executable, "-c", f"for _ in range({times}): sorted(range(200, 0, -1))"]


@pytest.fixture
def valgrind() -> str:
    found = shutil.which("valgrind")
    if found is None:
        reason = "needs valgrind (Debian package)"
        if os.environ.get("GSV_REQUIRE_LIVE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def test_a_count_repeats_and_grows_by_the_same_amount_for_the_same_work(valgrind):
    few, again = instructions(valgrind, loop(200)), instructions(valgrind, loop(200))
    more, many = instructions(valgrind, loop(400)), instructions(valgrind, loop(600))

    assert abs(again - few) < few / 10_000
    each = (many - few) / 400
    assert each > 1000
    # The same work costs the same: a count is starting up plus the work, nothing else.
    assert (more - few) / 200 == pytest.approx(each, rel=0.01)
