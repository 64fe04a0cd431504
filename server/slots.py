"""A limit on the store jobs that all of a server's worker processes run at once.

Evaluating a query is CPU work: running more at once than the machine has cores finishes none
of them sooner, it only shares the cores more thinly, so cheap queries come back fast and
expensive ones ever slower. With a limit shared by every worker, the jobs past it wait their
turn in one queue instead: latency is spread more evenly, cheap queries wait longer and the
tail relative to the median shrinks (docs/benchmarks.md, "Endpoint", measures the trade).

A queue alone lets runaway queries fill every slot and keep a lookup waiting for their whole
time limit, so a few slots more (`short`) are kept for short queries: a query that finds the
others taken may run in one, but only for `short_timeout` seconds, so a runaway cannot stay
there long: `WorkerPool.run` stops it then, unless one of the others has come free, which it
takes in exchange to run on to its own time limit.

The counts are semaphores in memory the forked workers share. A worker killed while it holds
slots would take them with it, so each worker also counts its slots in an entry of a shared
array, and the server process gives a dead worker's slots back (`GunicornServer`).
"""

from __future__ import annotations

import enum
import multiprocessing
import threading
import time
from collections.abc import Collection

HOLDERS = 256  # worker processes whose slots can be given back: far more than ever live at once
_LOOK_AGAIN = 0.02  # seconds between looks at the short slots while waiting for a slot


class Slot(enum.Enum):
    """The kind of slot a job holds: its value indexes the semaphores and the counts."""

    QUEUED = 0  # one of `size`, taken in turn
    SHORT = 1  # one of `short`, with its time limit cut to `short_timeout`


class JobSlots:
    """`size` slots for store jobs and `short` more for short queries, shared by the processes forked after it is made."""

    def __init__(self, size: int, short: int = 0, short_timeout: float = 2.0) -> None:
        context = multiprocessing.get_context("fork")
        self.size, self.short, self.short_timeout = max(1, size), max(0, short), short_timeout
        self._free = (context.Semaphore(self.size), context.Semaphore(self.short))
        self._held = context.RawArray("i", HOLDERS * len(Slot))
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
        given_back = 0
        for slot in Slot:
            entry = holder * len(Slot) + slot.value
            held, self._held[entry] = self._held[entry], 0
            for _ in range(held):
                self._free[slot.value].release()
            given_back += held
        return given_back

    def acquire(self, timeout: float, short: bool = False) -> Slot | None:
        """Take a slot, waiting at most `timeout` seconds; None if none came free.

        With `short`, a slot kept for short queries will do too, when one is free before the others.
        """
        if short and self.short:
            slot = self._either(time.monotonic() + max(0.0, timeout))
        else:
            slot = Slot.QUEUED if self._free[Slot.QUEUED.value].acquire(timeout=max(0.0, timeout)) else None
        if slot is not None:
            self._count(slot, +1)
        return slot

    def trade_short(self) -> bool:
        """Exchange a short slot for a queued one if one is free now; whether it was."""
        if not self._free[Slot.QUEUED.value].acquire(block=False):
            return False
        self._count(Slot.QUEUED, +1)
        self.release(Slot.SHORT)
        return True

    def release(self, slot: Slot = Slot.QUEUED) -> None:
        self._count(slot, -1)
        self._free[slot.value].release()

    def _either(self, deadline: float) -> Slot | None:
        queued, short = self._free
        while True:
            if queued.acquire(block=False):
                return Slot.QUEUED
            if short.acquire(block=False):
                return Slot.SHORT
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if queued.acquire(timeout=min(_LOOK_AGAIN, left)):
                return Slot.QUEUED

    def _count(self, slot: Slot, change: int) -> None:
        if self._holder is not None:
            with self._count_lock:
                self._held[self._holder * len(Slot) + slot.value] += change
