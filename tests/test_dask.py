"""`cleaner build --executor dask`: the same per-document work on dask.distributed, on a
real LocalCluster (never a mock), with the outputs, manifest and summaries of the local
executor byte for byte. Dask is a test dependency (the Makefile installs the extra): when
it is missing these tests fail, they are not skipped."""

from __future__ import annotations

import threading
import time

import pytest

from cleaner.build import DocumentTimeout, deadline

# --------------------------------------------------------------------------- the time limit in a thread


def _spin(seconds: float) -> None:
    """Pure-Python work for ``seconds`` (never a C call that a timer cannot interrupt)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(100))


def _in_thread(work) -> list[str]:
    seen: list[str] = []

    def run() -> None:
        try:
            work()
            seen.append("done")
        except DocumentTimeout:
            seen.append("timeout")

    t = threading.Thread(target=run, daemon=True)  # a Dask worker runs its tasks in a thread like this one
    t.start()
    t.join(30)
    return seen


def test_the_time_limit_holds_in_a_thread_that_is_not_the_main_one() -> None:
    started = time.monotonic()

    def slow() -> None:
        with deadline(0.3):
            _spin(10)

    assert _in_thread(slow) == ["timeout"]
    assert time.monotonic() - started < 5


def test_a_block_that_ends_in_time_in_a_thread_is_never_interrupted_later() -> None:
    def quick() -> None:
        for _ in range(20):
            with deadline(0.05):
                _spin(0.01)
        _spin(0.5)  # well past every limit: a timer left running would strike here

    assert _in_thread(quick) == ["done"]


def test_the_time_limit_in_the_main_thread_is_still_sigalrm() -> None:
    with pytest.raises(DocumentTimeout):
        with deadline(0.2):
            _spin(10)
    _spin(0.4)
