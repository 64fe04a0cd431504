"""A few query processes per web worker, so that a query can be stopped at its time limit.

pyoxigraph evaluates some queries (a big `COUNT(*)`, say) inside one call that Python cannot
interrupt. Running every store job in a separate process (`server.engine`) makes the limit hard:
the web worker waits for the reply with a deadline and, past it, kills the process and starts
a fresh one, while its other threads keep serving through the remaining processes.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

from flask import Flask, Response, current_app

from server import formats
from server.engine import MEMORY_EXIT, Job, Reply
from server.errors import HTTPError, ServiceUnavailable
from server.slots import JobSlots, Slot

log = logging.getLogger(__name__)

EXTENSION = "evalkg.pool"
_ADVICE = {
    "query": "; narrow it (more specific patterns, LIMIT) or ask for less",
    "update": "; nothing was changed",
    "write": "; nothing was changed",
}
SHORT_KINDS = ("query", "read")  # the jobs that may run in a slot kept for short queries


class JobTimeout(ServiceUnavailable):
    """A job ran past its time limit; its process was killed."""


class JobOutOfMemory(ServiceUnavailable):
    """A job needed more memory than a query process may use; its process ended."""


class _Process:
    """One `python -m server.engine` child, its memory capped at `memory_mb` (0: no cap), and the socket to it."""

    def __init__(self, store_path: str, memory_mb: int) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.child = subprocess.Popen(
                [sys.executable, "-m", "server.engine", str(theirs.fileno()), store_path, str(os.getpid()),
                 str(memory_mb)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
            )
        self.connection = Connection(ours.detach())

    def kill(self) -> None:
        self.child.kill()
        self.child.wait()
        self.connection.close()


class WorkerPool:
    """Runs store jobs in `size` child processes, each job under a deadline and in one of `slots`,
    each process within `memory_mb` of memory.

    Besides, the pool keeps as many processes as there are slots for short queries
    (`slots.short`), which only jobs in those slots may take: a runaway in every other process
    of this worker cannot keep a lookup waiting for one.
    """

    def __init__(self, store_path: str, size: int, slots: JobSlots, memory_mb: int = 0) -> None:
        self.store_path = store_path
        self.memory_mb = memory_mb
        self.size = max(1, size) + slots.short
        self.slots = slots
        self._idle: list[_Process] = []
        self._idle_changed = threading.Condition()
        self._all: set[_Process] = set()
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        """Start the processes (done on first use otherwise)."""
        with self._lock:
            if self._started:
                return
            self._started = True
            for _ in range(self.size):
                self._give(self._spawn())
            atexit.register(self.close)

    def run(self, job: Job, timeout: float, what: str = "query") -> Reply:
        """The job's reply; `JobTimeout` (503) if it is not done within `timeout` seconds.

        The job waits for one of the server's slots (`server.slots`), then for an idle process
        of this worker; both waits count against its time limit. A query in a slot kept for short
        queries is stopped after `slots.short_timeout` seconds, unless another slot is free by then.
        """
        self.start()
        deadline = time.monotonic() + timeout
        held = [self.slots.acquire(timeout, short=what in SHORT_KINDS)]
        if held[0] is None:
            raise _busy(timeout, what)
        try:
            return self._run_in_process(job, deadline, timeout, what, held)
        finally:
            self.slots.release(held[0])

    def close(self) -> None:
        with self._lock:
            processes, self._all = self._all, set()
        for process in processes:
            process.kill()

    def _run_in_process(self, job: Job, deadline: float, timeout: float, what: str, held: list[Slot]) -> Reply:
        process = self._take(deadline, timeout, what, held[0])
        try:
            process.connection.send(job)
            if not self._reply_in_time(process, deadline, held):
                self._replace(process)
                if held[0] is Slot.SHORT and time.monotonic() < deadline:
                    raise JobTimeout(f"the server is busy: every query slot was taken, so the {what} ran in one "
                                     f"kept for short queries, which allows {self.slots.short_timeout:g} s "
                                     "(short_query_timeout), and was stopped; try again later")
                raise JobTimeout(f"the {what} ran past the time limit of {timeout:g} s and was stopped"
                                 + _ADVICE.get(what, ""))
            reply: Reply = process.connection.recv()
        except (EOFError, OSError) as error:
            self._replace(process)
            if self.memory_mb and process.child.returncode in _OUT_OF_MEMORY:
                raise JobOutOfMemory(out_of_memory(what, self.memory_mb)) from error
            raise HTTPError(f"the {what} process ended unexpectedly ({error}); try again") from error
        self._give(process)
        return reply

    def _reply_in_time(self, process: _Process, deadline: float, held: list[Slot]) -> bool:
        """Whether the reply came by the deadline: a job in a short slot has `short_timeout`, then,
        if a queued slot is free and this worker keeps its processes for short jobs, the rest of its own."""
        if held[0] is Slot.SHORT:
            if process.connection.poll(max(0.0, min(deadline - time.monotonic(), self.slots.short_timeout))):
                return True
            with self._idle_changed:
                if len(self._idle) < self.slots.short or not self.slots.trade_short():
                    return False
            held[0] = Slot.QUEUED
        return process.connection.poll(max(0.0, deadline - time.monotonic()))

    def _take(self, deadline: float, timeout: float, what: str, slot: Slot) -> _Process:
        """An idle process; a job in a queued slot leaves those kept for short jobs."""
        keep = 0 if slot is Slot.SHORT else self.slots.short
        with self._idle_changed:
            if not self._idle_changed.wait_for(lambda: len(self._idle) > keep,
                                               timeout=max(0.0, deadline - time.monotonic())):
                raise _busy(timeout, what)
            return self._idle.pop()

    def _give(self, process: _Process) -> None:
        with self._idle_changed:
            self._idle.append(process)
            self._idle_changed.notify_all()

    def _spawn(self) -> _Process:
        process = _Process(self.store_path, self.memory_mb)
        self._all.add(process)
        return process

    def _replace(self, process: _Process) -> None:
        process.kill()
        with self._lock:
            self._all.discard(process)
            if self._started:
                self._give(self._spawn())
        log.warning("query process %d stopped and replaced", process.child.pid)


# How a query process ends when an allocation fails under its memory cap: Oxigraph (Rust) aborts,
# the engine exits with MEMORY_EXIT after a MemoryError.
_OUT_OF_MEMORY = (-signal.SIGABRT, MEMORY_EXIT)


def out_of_memory(what: str, memory_mb: int) -> str:
    """The message of a job stopped at the memory cap, naming the setting."""
    return (f"the {what} needed more memory than a query process may use (query_memory_mb = {memory_mb} MB) "
            "and was stopped" + _ADVICE.get(what, ""))


def _busy(timeout: float, what: str) -> JobTimeout:
    return JobTimeout(f"the server is busy: the {what} waited its turn for the whole time limit of {timeout:g} s; "
                      "try again")


def init_app(app: Flask, store_path: str, size: int, slots: JobSlots, memory_mb: int = 0) -> None:
    app.extensions[EXTENSION] = WorkerPool(store_path, size, slots, memory_mb)


def get_pool(app: Flask | None = None) -> WorkerPool:
    """The pool of the app handling the current request (or of `app`)."""
    return (app or current_app).extensions[EXTENSION]


def response_for(reply: Reply) -> Response:
    """The HTTP response for a job's reply; an error reply raises, to get the one error body shape."""
    if reply.error is not None:
        raise HTTPError(reply.error, status=reply.status)
    response = Response(reply.body, status=reply.status,
                        content_type=formats.content_type(reply.media_type) if reply.media_type else None)
    response.headers.update(reply.headers)
    if reply.media_type:
        response.vary.add("Accept")
    return response
