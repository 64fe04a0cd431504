"""Job slots: a limit on the store jobs all of `kg serve`'s workers run at once, and what a worker
that dies leaves (its slots, its query processes), against a real forked process and a real `kg serve`."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from kg.store import StoreDirectory
from server.slots import HOLDERS, JobSlots, Slot
from tests.server.running import running_server
from tests.server.test_safety import RUNAWAY, SIMPLE


def test_a_taken_slot_is_waited_for_until_it_is_released() -> None:
    slots = JobSlots(1)
    assert slots.acquire(0.1)
    started = time.monotonic()
    assert not slots.acquire(0.3)
    # the semaphore's deadline is on the wall clock, measured here on the monotonic one: they
    # can disagree by a few milliseconds (CI once measured 0.2987 s)
    assert time.monotonic() - started >= 0.25
    slots.release()
    assert slots.acquire(0.1)


def test_a_short_slot_is_taken_only_when_the_queued_ones_are_and_can_be_traded() -> None:
    slots = JobSlots(1, short=1)
    assert slots.acquire(0.1, short=True) is Slot.QUEUED
    assert slots.acquire(0.1) is None  # a job that may not run short waits for the queued slot
    assert slots.acquire(0.1, short=True) is Slot.SHORT
    assert slots.acquire(0.1, short=True) is None
    assert not slots.trade_short()  # the queued slot is still taken
    slots.release(Slot.QUEUED)
    assert slots.trade_short()
    assert slots.acquire(0.1, short=True) is Slot.SHORT


def test_the_short_slots_of_a_killed_process_are_given_back_too() -> None:
    slots = JobSlots(1, short=1)
    slots.hold_as(3)
    assert slots.acquire(0.1, short=True) is Slot.QUEUED
    assert slots.acquire(0.1, short=True) is Slot.SHORT
    assert slots.give_back(3) == 2
    slots.hold_as(None)
    assert slots.acquire(0.1) is Slot.QUEUED and slots.acquire(0.1, short=True) is Slot.SHORT


def _hold_a_slot_and_wait(slots: JobSlots, holder: int, holding: multiprocessing.Event) -> None:
    slots.hold_as(holder)
    slots.acquire(1.0)
    holding.set()
    time.sleep(60)


def test_the_slots_of_a_killed_process_are_given_back() -> None:
    context = multiprocessing.get_context("fork")
    slots, holding = JobSlots(1), context.Event()
    child = context.Process(target=_hold_a_slot_and_wait, args=(slots, 7, holding))
    child.start()
    assert holding.wait(10)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert not slots.acquire(0.2)  # the dead process took its slot with it
    assert slots.give_back(7) == 1
    assert slots.acquire(0.2)
    assert slots.give_back(7) == 0


def test_a_free_holder_is_one_no_live_worker_uses() -> None:
    assert JobSlots.free_holder({0, 1, 3}) == 2
    assert JobSlots.free_holder(set(range(HOLDERS))) is None
    assert JobSlots(1).give_back(None) == 0


def _run_away(url: str, outcome: dict[str, object]) -> None:
    _run_query(url, RUNAWAY, outcome)


def _run_query(url: str, query: str, outcome: dict[str, object]) -> None:
    """Run `query`; `outcome` gets its status, text and seconds, or the error."""
    started = time.monotonic()
    try:
        with httpx.Client(timeout=60) as client:
            response = client.post(url, data={"query": query})
            outcome.update(status=response.status_code, text=response.text)
    except httpx.HTTPError as error:
        outcome["error"] = error
    outcome["seconds"] = time.monotonic() - started


def _timed_simple_query(url: str, results: list[tuple[int, float]]) -> None:
    started = time.monotonic()
    with httpx.Client(timeout=60) as client:  # a connection of its own: any worker may take it
        status = client.get(url, params={"query": SIMPLE}).status_code
    results.append((status, time.monotonic() - started))


@pytest.mark.slow
def test_one_slot_is_shared_by_all_workers(tmp_path: Path, served_store: StoreDirectory) -> None:
    timeout, head_start = 4.0, 2.0  # the others then have 2 s of their limit left after the runaway's
    with running_server(served_store.path, tmp_path, "--workers", "2", "--query-timeout", str(timeout),
                        env={"KG_QUERY_SLOTS": "1", "KG_SHORT_QUERY_SLOTS": "0"}) as server:
        outcome: dict[str, object] = {}
        runaway = threading.Thread(target=_run_away, args=(server.endpoint, outcome))
        runaway.start()
        time.sleep(head_start)
        results: list[tuple[int, float]] = []
        waiting = [threading.Thread(target=_timed_simple_query, args=(server.endpoint, results)) for _ in range(8)]
        for thread in waiting:
            thread.start()
        for thread in waiting + [runaway]:
            thread.join(30)
    assert outcome["status"] == 503  # stopped at its time limit
    assert [status for status, _ in results] == [200] * 8
    # each waited for the runaway's slot, in whichever worker it landed
    assert all(seconds > timeout - head_start - 0.5 for _, seconds in results), results


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _has_ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # a zombie has ended, whether or not anything reaps it


def _wait_until_ended(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not all(_has_ended(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.slow
def test_a_killed_worker_gives_back_its_slot_and_its_query_processes_end(tmp_path: Path, served_store: StoreDirectory) -> None:
    with running_server(served_store.path, tmp_path, "--workers", "1", "--query-timeout", "30",
                        env={"KG_QUERY_SLOTS": "1", "KG_SHORT_QUERY_SLOTS": "0"}) as server:
        outcome: dict[str, object] = {}
        runaway = threading.Thread(target=_run_away, args=(server.endpoint, outcome))
        runaway.start()
        time.sleep(1.0)
        [worker] = _children(server.process.pid)
        query_processes = _children(worker)
        assert len(query_processes) == 2
        os.kill(worker, signal.SIGKILL)
        runaway.join(30)
        # the orphans end by themselves, the one in the middle of the runaway too
        ended = _wait_until_ended(query_processes, 10)
        for pid in query_processes:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        assert ended
        assert isinstance(outcome.get("error"), httpx.HTTPError)
        started = time.monotonic()
        with httpx.Client(timeout=60) as client:
            assert client.get(server.endpoint, params={"query": SIMPLE}).status_code == 200
        assert time.monotonic() - started < 10  # not the 30 s of waiting for a slot that never comes free
        assert "exited holding 1 query slot(s); given back" in server.log_text()


def _timed_request(client: httpx.Client, path: str, **params: str) -> tuple[int, float]:
    started = time.monotonic()
    status = client.get(path, params=params).status_code
    return status, time.monotonic() - started


@pytest.mark.slow
def test_lookups_are_answered_while_runaways_fill_every_queued_slot(tmp_path: Path, served_store: StoreDirectory) -> None:
    """Issue 17: three runaways filled the three slots and every other request waited 30 s, then got 503."""
    slots, timeout, short_timeout = 3, 20.0, 2.0
    with running_server(served_store.path, tmp_path, "--workers", "2", "--query-timeout", str(timeout),
                        env={"KG_QUERY_SLOTS": str(slots), "KG_SHORT_QUERY_SLOTS": "1",
                             "KG_SHORT_QUERY_TIMEOUT": str(short_timeout)}) as server:
        outcomes: list[dict[str, object]] = [{} for _ in range(slots + 1)]
        runaways = [threading.Thread(target=_run_away, args=(server.endpoint, outcome)) for outcome in outcomes]
        for runaway in runaways[:slots]:
            runaway.start()
        time.sleep(1.0)  # the runaways hold every queued slot
        with httpx.Client(base_url=server.url, timeout=60) as client:
            lookups = [_timed_request(client, "/sparql", query=SIMPLE) for _ in range(10)]
            # one more runaway takes the short slot, and is stopped at its limit, not the query's
            runaways[slots].start()
            runaways[slots].join(short_timeout + 5)
            time.sleep(2.0)  # its query process is replaced: a new one takes a second to open the store
            lookups += [_timed_request(client, "/sparql", query=SIMPLE) for _ in range(10)]
        assert all(runaway.is_alive() for runaway in runaways[:slots])  # still running meanwhile
        for runaway in runaways:
            runaway.join(timeout + 10)
    assert all(status == 200 for status, _ in lookups), lookups
    assert max(seconds for _, seconds in lookups) < 1.0, lookups
    assert outcomes[slots]["status"] == 503
    assert outcomes[slots]["seconds"] < short_timeout + 2
    assert "short_query_timeout" in outcomes[slots]["text"]
    assert [outcome["status"] for outcome in outcomes[:slots]] == [503] * slots  # at their own time limit


def _counting_pairs(times: int) -> str:
    """A query of about `times` x 0.3 s over the sample store."""
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?k {{ {' '.join(map(str, range(times)))} }} ?a ?b ?c . ?d ?b ?f }}"


@pytest.mark.slow
def test_a_query_in_the_short_slot_runs_on_when_a_queued_slot_is_free_by_its_limit(tmp_path: Path, served_store: StoreDirectory) -> None:
    # The holder (~0.3 s alone) must be done by the short slot's limit: 6 s leaves room for a busy
    # machine (it took 5.6 s beside another build), and the second query (~9 s alone) runs past it.
    short_timeout = 6
    with running_server(served_store.path, tmp_path, "--workers", "1", "--query-timeout", "60",
                        env={"KG_QUERY_SLOTS": "1", "KG_SHORT_QUERY_SLOTS": "1",
                             "KG_SHORT_QUERY_TIMEOUT": str(short_timeout)}) as server:
        for _ in range(2):  # each query process has run one: the first is slower
            _run_query(server.endpoint, _counting_pairs(1), {})
        first: dict[str, object] = {}
        holder = threading.Thread(target=_run_query, args=(server.endpoint, _counting_pairs(1), first))
        holder.start()
        time.sleep(0.2)  # the first holds the queued slot, so the second takes the short one
        second: dict[str, object] = {}
        _run_query(server.endpoint, _counting_pairs(30), second)
        holder.join(60)
    assert first["status"] == 200 and second["status"] == 200, (first["seconds"], second)
    assert second["seconds"] > short_timeout  # it ran past the short slot's limit, in the queued slot it took
