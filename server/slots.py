"""A limit on the store jobs that all of a server's worker processes run at once.

Evaluating a query is CPU work: running more at once than the machine has cores finishes none
of them sooner, it only shares the cores more thinly, so cheap queries come back fast and
expensive ones ever slower. With a limit shared by every worker, the jobs past it wait their
turn in one queue instead: latency is spread more evenly, cheap queries wait longer and the
tail relative to the median shrinks (docs/benchmarks.md, "Endpoint", measures the trade).

The count is a semaphore in memory the forked workers share. A worker killed while it holds
slots would take them with it, so each worker also counts its slots in an entry of a shared
array, and the server process gives a dead worker's slots back (`GunicornServer`).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Collection

HOLDERS = 256  # worker processes whose slots can be given back: far more than ever live at once


class JobSlots:
    """`size` slots for store jobs, shared by the processes forked after it is made."""

    def __init__(self, size: int) -> None:
        context = multiprocessing.get_context("fork")
        self._free = context.Semaphore(max(1, size))
        self._held = context.RawArray("i", HOLDERS)
        self._holder: int | None = None
        self._count_lock = threading.Lock()

    @staticmethod
    def free_holder(taken: Collection[int | None]) -> int | None:
        """An entry no live worker uses, for a worker about to be forked (None if all are taken)."""
        return next((holder for holder in range(HOLDERS) if holder not in taken), None)

    def hold_as(self, holder: int | None) -> None:
        """Count this process's slots in entry `holder` (None: not counted, so not given back)."""
        self._holder = holder

    def give_back(self, holder: int | None) -> int:
        """Free the slots a worker that has exited still held; how many there were."""
        if holder is None:
            return 0
        held, self._held[holder] = self._held[holder], 0
        for _ in range(held):
            self._free.release()
        return held

    def acquire(self, timeout: float) -> bool:
        """Take a slot, waiting at most `timeout` seconds; False if none came free."""
        if not self._free.acquire(timeout=max(0.0, timeout)):
            return False
        self._count(+1)
        return True

    def release(self) -> None:
        self._count(-1)
        self._free.release()

    def _count(self, change: int) -> None:
        if self._holder is not None:
            with self._count_lock:
                self._held[self._holder] += change
