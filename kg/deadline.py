"""Work that must end when asked: run in a forked child under a deadline, its output streamed
back, so that Ctrl+C or the time limit stops it at once, however long the engine runs without
returning (a query in Oxigraph does not see Python's signals), and a crash of the engine is
an error, not the end of the command."""

from __future__ import annotations

import gc
import os
import selectors
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import BinaryIO

from kg.errors import EvalKGError

READ_BYTES = 1 << 16


class DeadlineError(EvalKGError):
    """The work did not finish: its time ran out, or it crashed."""


def run_with_deadline(work: Callable[[BinaryIO], None], timeout: float, out: BinaryIO) -> None:
    """Run `work(output)` in a child process; copy what it writes to `out`. Raises
    `DeadlineError` past `timeout` seconds or if the child dies, `EvalKGError` with the
    child's message if `work` raised, and `KeyboardInterrupt` on Ctrl+C, the child killed."""
    data_read, data_write = os.pipe()
    error_read, error_write = os.pipe()
    # The child's collector must not visit what it inherits: objects of the parent's other
    # threads (greenlets, an engine's handles) do not survive a fork, and visiting one crashed it.
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(data_read)
        os.close(error_read)
        _child(work, data_write, error_write)
    gc.unfreeze()
    os.close(data_write)
    os.close(error_write)
    try:
        message = _relay(pid, data_read, error_read, out, time.monotonic() + timeout, timeout)
        _, status = os.waitpid(pid, 0)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(data_read)
        os.close(error_read)
    if message:
        raise EvalKGError(message)
    if os.WIFSIGNALED(status):
        raise DeadlineError(f"the query process ended by signal {signal.Signals(os.WTERMSIG(status)).name}")


def _child(work: Callable[[BinaryIO], None], data: int, errors: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent handles Ctrl+C by killing this process
    code = 0
    try:
        with os.fdopen(data, "wb") as output:
            work(output)
    except BrokenPipeError:
        pass
    except Exception as error:  # to the parent, as the command's error message
        os.write(errors, str(error).encode("utf-8", "replace") or type(error).__name__.encode())
        code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        os._exit(code)


def _relay(pid: int, data: int, errors: int, out: BinaryIO, deadline: float, timeout: float) -> str:
    """Copy the child's output to `out` until both pipes close; return its error message."""
    message = b""
    with selectors.DefaultSelector() as selector:
        selector.register(data, selectors.EVENT_READ)
        selector.register(errors, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise DeadlineError(f"the query ran past its time limit of {timeout:g} s (--timeout) and was stopped")
            for key, _ in selector.select(left):
                chunk = os.read(key.fd, READ_BYTES)
                if not chunk:
                    selector.unregister(key.fd)
                elif key.fd == data:
                    out.write(chunk)
                else:
                    message += chunk
    out.flush()
    return message.decode("utf-8", "replace")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
